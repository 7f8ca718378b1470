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

/**
 * Compares two answers as JSON: numbers within the tolerance, arrays item by item in order, objects key by key
 * (in any order); anything else must be equal. A string that holds JSON (an undecorated run() that returns
 * json.dumps(...) is sent as a JSON string) is compared as the JSON it holds. Undefined when they agree.
 */
export function firstDifference(expected: unknown, actual: unknown, tolerance: Tolerance = DEFAULT_TOLERANCE, path = "$"): AnswerDifference | undefined {
  const [e, a] = [unwrapJsonString(expected), unwrapJsonString(actual)];
  if (typeof e === "number" && typeof a === "number") {
    if (Number.isNaN(e) && Number.isNaN(a)) return undefined;
    return Math.abs(e - a) <= tolerance.absolute + tolerance.relative * Math.abs(e) ? undefined : { path, expected: e, actual: a };
  }
  if (Array.isArray(e) && Array.isArray(a)) {
    if (e.length !== a.length) return { path: `${path}.length`, expected: e.length, actual: a.length };
    for (let i = 0; i < e.length; i++) {
      const d = firstDifference(e[i], a[i], tolerance, `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObject(e) && isObject(a)) {
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      const at = /^[A-Za-z_]\w*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
      if (!(key in e) || !(key in a)) return { path: at, expected: e[key], actual: a[key] };
      const d = firstDifference(e[key], a[key], tolerance, at);
      if (d) return d;
    }
    return undefined;
  }
  return e === a ? undefined : { path, expected: e, actual: a };
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
