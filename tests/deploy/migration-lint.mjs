// Expand/contract rule for schema migrations: while a release rolls out, the previous release keeps
// running against the new schema (blue/green), so a migration may only expand it: CREATE TABLE,
// ADD COLUMN that is NULL or has a DEFAULT (or is generated), ADD INDEX / CREATE INDEX, data
// (INSERT, UPDATE), and loosening (DROP CONSTRAINT, DROP CHECK, DROP FOREIGN KEY). Anything else
// (DROP COLUMN/TABLE/INDEX, RENAME, MODIFY, CHANGE, a NOT NULL column without a default, a new
// UNIQUE key, CHECK or FOREIGN KEY that could refuse the old release's writes, DELETE) is refused
// unless the file carries a comment `-- contract: <why it is safe>`.
//
//   node tests/deploy/migration-lint.mjs FILE...
//
// Prints one line per refused statement ("FILE: STATEMENT: why") and exits 1 when there is any.
import fs from 'node:fs';

// Splits SQL into statements: comments dropped, quoted text kept whole and replaced by ''. A ';'
// inside a BEGIN … END block (a routine's or trigger's body; END IF, END CASE, END LOOP … close
// nothing) does not end the statement.
function statements(sql) {
  const out = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === '-' && sql[i + 1] === '-') { while (i < sql.length && sql[i] !== '\n') i++; cur += ' '; continue; }
    if (c === '#') { while (i < sql.length && sql[i] !== '\n') i++; cur += ' '; continue; }
    if (c === '/' && sql[i + 1] === '*') { i = sql.indexOf('*/', i + 2); if (i < 0) i = sql.length; else i++; cur += ' '; continue; }
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      for (; j < sql.length; j++) {
        if (sql[j] === '\\') { j++; continue; }
        if (sql[j] === c) { if (sql[j + 1] === c) { j++; continue; } break; }
      }
      cur += c === '`' ? sql.slice(i, j + 1) : "''";
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_$]/.test(sql[i - 1] || ' ')) {
      const word = sql.slice(i).match(/^[A-Za-z_][A-Za-z0-9_$]*/)[0];
      const next = sql.slice(i + word.length).match(/^\s*([A-Za-z]*)/)[1].toUpperCase();
      if (word.toUpperCase() === 'BEGIN') depth++;
      if (word.toUpperCase() === 'END' && !['IF', 'CASE', 'LOOP', 'WHILE', 'REPEAT', 'FOR'].includes(next)) depth--;
      cur += word;
      i += word.length - 1;
      continue;
    }
    if (c === ';' && depth <= 0) { if (cur.trim()) out.push(cur.trim().replace(/\s+/g, ' ')); cur = ''; continue; }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim().replace(/\s+/g, ' '));
  return out;
}

// Splits an ALTER TABLE's clauses at the commas outside parentheses.
function clauses(s) {
  const out = [];
  let depth = 0, cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) { out.push(cur.trim()); cur = ''; } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

const NEW_RULE = "can refuse the previous release's writes";
function alterClause(c) {
  const u = c.toUpperCase();
  if (/^(ALGORITHM|LOCK)\b/.test(u)) return null;
  if (/^DROP (CONSTRAINT|CHECK|FOREIGN KEY)\b/.test(u)) return null; // loosens
  if (/^DROP (INDEX|KEY)\b/.test(u)) return "drops an index the previous release's queries may need";
  if (/^DROP PRIMARY KEY\b/.test(u)) return 'drops the primary key';
  if (/^DROP\b/.test(u)) return 'drops a column the previous release reads or writes';
  if (/^(RENAME|CHANGE)\b/.test(u)) return 'renames: the previous release uses the old name';
  if (/^MODIFY\b/.test(u)) return 'changes a column (it may narrow it): state why it is safe';
  if (/^ALTER (COLUMN )?\S+ SET DEFAULT\b/.test(u)) return null;
  if (/^ALTER (COLUMN )?\S+ DROP DEFAULT\b/.test(u)) return "drops a default the previous release's inserts rely on";
  const add = u.match(/^ADD (COLUMN )?(IF NOT EXISTS )?(.*)$/);
  if (!add) return 'not recognised as expanding';
  const rest = add[3];
  if (/^(INDEX|KEY|FULLTEXT|SPATIAL)\b/.test(rest)) return null;
  if (/^(UNIQUE|PRIMARY)\b/.test(rest)) return `a unique key ${NEW_RULE}`;
  if (/^(CONSTRAINT|FOREIGN|CHECK)\b/.test(rest)) return `a new constraint ${NEW_RULE}`;
  if (/\bCHECK\s*\(/.test(rest) || /\bREFERENCES\b/.test(rest)) return `a column constraint ${NEW_RULE}`;
  if (/\bNOT NULL\b/.test(rest) && !/\bDEFAULT\b/.test(rest) && !/\bAS\s*\(/.test(rest) && !/\bAUTO_INCREMENT\b/.test(rest)) {
    return "a NOT NULL column without a DEFAULT: the previous release's inserts fail";
  }
  return null;
}

function why(stmt) {
  const u = stmt.toUpperCase();
  if (/^CREATE (OR REPLACE )?TABLE\b/.test(u)) return /^CREATE OR REPLACE/.test(u) ? 'replaces a table' : null;
  if (/^CREATE (FULLTEXT |SPATIAL )?INDEX\b/.test(u)) return null;
  if (/^CREATE UNIQUE INDEX\b/.test(u)) return `a unique index ${NEW_RULE}`;
  if (/^(INSERT|UPDATE|SET|SELECT|CALL)\b/.test(u)) return null;
  // New views, routines and triggers (IF NOT EXISTS: nothing of the previous release is replaced).
  if (/^CREATE (VIEW|FUNCTION|PROCEDURE|TRIGGER) IF NOT EXISTS\b/.test(u)) return null;
  if (/^DELETE\b/.test(u)) return 'deletes rows the previous release may use';
  const alter = stmt.match(/^ALTER (?:ONLINE )?(?:IGNORE )?TABLE (?:IF EXISTS )?(\S+) ([\s\S]*)$/i);
  if (alter) {
    const bad = clauses(alter[2]).map(alterClause).filter(Boolean);
    return bad.length ? bad.join('; ') : null;
  }
  if (/^(DROP|RENAME|TRUNCATE)\b/.test(u)) return 'removes or renames what the previous release uses';
  return 'not recognised as expanding';
}

let refused = 0;
for (const file of process.argv.slice(2)) {
  const sql = fs.readFileSync(file, 'utf8');
  const contract = sql.match(/^\s*--\s*contract:\s*(\S.*)$/m);
  for (const s of statements(sql)) {
    const reason = why(s);
    if (!reason) continue;
    if (contract) { console.log(`${file}: allowed by its contract comment (${contract[1].trim()}): ${s.slice(0, 100)}`); continue; }
    refused++;
    console.log(`${file}: ${s.slice(0, 120)}: ${reason}`);
  }
}
process.exit(refused ? 1 : 0);
