/** How close two numbers must be to count as the same answer: |a − b| ≤ absolute + relative × |b| (numpy's allclose). */
export interface Tolerance {
  readonly relative: number;
  readonly absolute: number;
}

/** numpy.allclose's defaults: what "the same prediction" means to most Python numerical code. */
export const DEFAULT_TOLERANCE: Tolerance = { relative: 1e-5, absolute: 1e-8 };

/** Where two answers first differ (a JSON path such as `$[0].score`), and the two values there. */
export interface AnswerDifference {
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** How two answers are compared: the numeric tolerance, and fields left out (see `isIgnored`). */
export interface CompareOptions {
  readonly tolerance?: Tolerance;
  readonly ignore?: readonly string[];
}

/**
 * Compares two answers as JSON: numbers within the tolerance, arrays item by item in order, objects key by key
 * (in any order); anything else must be equal. A string that holds JSON (an undecorated run() that returns
 * json.dumps(...) is sent as a JSON string) is compared as the JSON it holds. Undefined when they agree.
 */
export function firstDifference(expected: unknown, actual: unknown, tolerance: Tolerance = DEFAULT_TOLERANCE): AnswerDifference | undefined {
  return answerDifferences(expected, actual, { tolerance }, 1)[0];
}

/** Every place two answers differ (up to `limit`), compared as `firstDifference` does, ignored fields left out. */
export function answerDifferences(expected: unknown, actual: unknown, o: CompareOptions = {}, limit = 20): AnswerDifference[] {
  const found: AnswerDifference[] = [];
  walk(expected, actual, "$", { tolerance: o.tolerance ?? DEFAULT_TOLERANCE, ignore: o.ignore ?? [] }, found, limit);
  return found;
}

function walk(expected: unknown, actual: unknown, path: string, o: Required<CompareOptions>, found: AnswerDifference[], limit: number): void {
  if (found.length >= limit || isIgnored(path, o.ignore)) return;
  const [e, a] = [unwrapJsonString(expected), unwrapJsonString(actual)];
  if (typeof e === "number" && typeof a === "number") {
    if (Number.isNaN(e) && Number.isNaN(a)) return;
    if (Math.abs(e - a) > o.tolerance.absolute + o.tolerance.relative * Math.abs(e)) found.push({ path, expected: e, actual: a });
    return;
  }
  if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) return void found.push({ path: `${path}.length`, expected: e.length, actual: a.length });
    for (let i = 0; i < e.length && found.length < limit; i++) walk(e[i], a[i], `${path}[${i}]`, o, found, limit);
    return;
  }
  if (isObject(e) && isObject(a)) {
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      const at = /^[A-Za-z_]\w*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (found.length >= limit) return;
      if (!(key in e) || !(key in a)) {
        if (!isIgnored(at, o.ignore)) found.push({ path: at, expected: e[key], actual: a[key] });
        continue;
      }
      walk(e[key], a[key], at, o, found, limit);
    }
    return;
  }
  if (e !== a) found.push({ path, expected: e, actual: a });
}

/**
 * A path's field: array positions made `[*]` (`$[3].score` → `$[*].score`), so the same field of every row is
 * one field when differences are counted (and noise is measured).
 */
export function fieldOf(path: string): string {
  return path.replace(/\[\d+\]/g, "[*]");
}

/**
 * Whether a path is left out by `--ignore`: a bare name (`timestamp`) is that key at any depth; a path from the
 * root (`$.meta.id`, `$[*].ts`, `$.rows[0].id`) is that field; either covers everything beneath it.
 */
export function isIgnored(path: string, ignore: readonly string[]): boolean {
  if (!ignore.length) return false;
  const field = fieldOf(path);
  return ignore.some((rule) => {
    if (rule.startsWith("$")) {
      const wanted = fieldOf(rule);
      return [path, field].some(
        (p) => p === rule || p === wanted || p.startsWith(`${wanted}.`) || p.startsWith(`${wanted}[`) || p.startsWith(`${rule}.`) || p.startsWith(`${rule}[`),
      );
    }
    const segments = field.match(/\.([A-Za-z_]\w*)|\["((?:[^"\\]|\\.)*)"\]/g) ?? [];
    return segments.some((s) => (s.startsWith(".") ? s.slice(1) : (JSON.parse(s.slice(1, -1)) as string)) === rule);
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unwrapJsonString(v: unknown): unknown {
  if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
