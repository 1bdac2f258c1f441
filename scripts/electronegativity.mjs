#!/usr/bin/env node
// Scans app/ with Doyensec's Electronegativity and fails on any finding that is not explained
// in test/proof/electronegativity-explained.json (check, file, the flagged code, and why it is
// acceptable or a false positive). An explanation that no longer matches a finding fails too,
// so the list never hides a new finding behind an old excuse.
// Exit codes: 0 all findings explained, 1 unexplained or stale entries, 2 the scan could not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ELECTRONEGATIVITY = '@doyensec/electronegativity@1.10.3';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const explanationsPath = join(root, 'test', 'proof', 'electronegativity-explained.json');

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and newlines. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index += 1;
      row.push(field);
      if (row.some((value) => value.trim() !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  row.push(field);
  if (row.some((value) => value.trim() !== '')) rows.push(row);
  return rows;
}

/** Findings from Electronegativity's CSV, with file paths relative to the repository. */
export function readFindings(csvText) {
  const [header, ...rows] = parseCsv(csvText);
  if (!header) return [];
  const columns = header.map((name) => name.trim());
  return rows.map((values) => {
    const record = Object.fromEntries(columns.map((name, index) => [name, values[index] ?? '']));
    return {
      check: record.issue,
      severity: record.severity,
      confidence: record.confidence,
      file: relative(root, resolve(root, record.filename)).split('\\').join('/'),
      location: record.location,
      sample: record.sample.trim(),
      description: record.description,
    };
  });
}

export function matches(explanation, finding) {
  return (
    explanation.check === finding.check &&
    explanation.file === finding.file &&
    explanation.sample.trim() === finding.sample
  );
}

/** Which findings lack an explanation, and which explanations explain nothing any more. */
export function review(findings, explanations) {
  const problems = [];
  for (const explanation of explanations) {
    for (const key of ['check', 'file', 'sample', 'why']) {
      if (typeof explanation[key] !== 'string' || explanation[key].trim() === '') {
        problems.push(`An explanation lacks "${key}": ${JSON.stringify(explanation)}`);
      }
    }
  }
  const unexplained = findings.filter((finding) => !explanations.some((e) => matches(e, finding)));
  const stale = explanations.filter((e) => !findings.some((finding) => matches(e, finding)));
  return { unexplained, stale, problems };
}

function electronVersion() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const declared = pkg.devDependencies?.electron ?? pkg.dependencies?.electron;
  return typeof declared === 'string' ? declared.replace(/^[^\d]*/, '') : undefined;
}

/** Runs the scan; returns the CSV text or throws with the reason it could not run. */
export function scan() {
  const folder = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  const output = join(folder, 'findings.csv');
  const version = electronVersion();
  const args = ['-y', ELECTRONEGATIVITY, '-i', 'app', '-o', output];
  if (version) args.push('-e', version);
  try {
    const result = spawnSync('npx', args, {
      cwd: root,
      encoding: 'utf8',
      timeout: 5 * 60 * 1000,
      shell: process.platform === 'win32',
    });
    const said = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-15)
      .join('\n');
    if (result.error) {
      throw new Error(
        `npx ${ELECTRONEGATIVITY} could not be run: ${result.error.message}\n${said}`,
      );
    }
    if (result.status !== 0 || !existsSync(output)) {
      throw new Error(
        `npx ${ELECTRONEGATIVITY} failed (exit ${result.status}); is the npm registry reachable?\n${said}`,
      );
    }
    return readFileSync(output, 'utf8');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function main() {
  let csv;
  try {
    csv = scan();
  } catch (error) {
    console.error(`Electronegativity scan did not run: ${error.message}`);
    return 2;
  }
  const findings = readFindings(csv);
  const explanations = JSON.parse(readFileSync(explanationsPath, 'utf8'));
  const { unexplained, stale, problems } = review(findings, explanations);
  for (const finding of findings) {
    const mark = unexplained.includes(finding) ? 'UNEXPLAINED' : 'explained  ';
    console.log(
      `${mark} ${finding.check} ${finding.severity}/${finding.confidence} ${finding.file}:${finding.location} ${finding.sample}`,
    );
  }
  for (const problem of problems) console.log(`BAD ENTRY   ${problem}`);
  for (const entry of stale) {
    console.log(
      `STALE       ${entry.check} ${entry.file} "${entry.sample}": matches no finding any more; remove or update it`,
    );
  }
  const failed = unexplained.length + stale.length + problems.length;
  console.log(
    `electronegativity: ${findings.length} findings, ${findings.length - unexplained.length} explained, ${unexplained.length} unexplained, ${stale.length} stale explanations`,
  );
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main();
}
