// The payment page (templates/pages/order-pay.mustache): runs the gateway's script (Portone V1,
// IMP.request_pay) with what the server wrote into the form's data-* attributes, then posts the
// imp_uid the gateway gives back. The server never trusts this: it looks the payment up itself.
(function () {
  'use strict';
  var form = document.getElementById('pay-form');
  var button = form && form.querySelector('[data-pay]');
  if (!form || !button || !window.IMP) return;
  var d = form.dataset;
  var status = form.querySelector('[data-pay-status]');
  window.IMP.init(d.merchantCode);

  button.addEventListener('click', function () {
    button.disabled = true;
    var params = {
      pay_method: d.payMethod === 'kakaopay' ? 'card' : d.payMethod,
      merchant_uid: d.merchantUid,
      amount: Number(d.amount),
      name: d.name,
      buyer_name: d.buyerName,
      buyer_tel: d.buyerTel,
      buyer_addr: d.buyerAddr,
      buyer_postcode: d.buyerPostcode,
      m_redirect_url: d.redirectUrl,
    };
    if (d.pg) params.pg = d.pg;
    window.IMP.request_pay(params, function (rsp) {
      if (rsp && rsp.imp_uid && !rsp.error_code && rsp.success !== false) {
        form.elements.imp_uid.value = rsp.imp_uid;
        form.submit();
        return;
      }
      button.disabled = false;
      if (status) status.textContent = d.failed + (rsp && rsp.error_msg ? ' (' + rsp.error_msg + ')' : '');
    });
  });
})();
