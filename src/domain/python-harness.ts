/**
 * What azmlinfsrv does with a scoring script (1.5.1's server/user_script.py and input_parsers.py), for an
 * interpreter without the server: the script is loaded as `entry_module` from $AML_APP_ROOT/$AZUREML_ENTRY_SCRIPT
 * with AML_APP_ROOT on sys.path, init() is called once, and each request body goes to run(): as a UTF-8 string to
 * an undecorated run(), as keyword arguments from the JSON body to one decorated with @input_schema, as a Flask
 * request to one decorated with @rawhttp (where Flask is installed), with request_headers when run() asks for
 * them. The answer is what the server sends: json.dumps of run()'s value, or the status and body of a Response
 * it returns; an exception in run() is the server's 500, and the next request is served.
 *
 * Requests come on stdin, one JSON string (the body) a line, until stdin closes. The harness reports on file
 * descriptor 3, one JSON object a line: `started`, `answer` (with its index), or `crash` with the phase, the
 * exception and the traceback's frames. The script's own output stays on stdout and stderr. Both the rehearsal
 * (src/rehearse/) and the sandbox's containers (src/sandbox/) run it: the text is data to them.
 */
export const HARNESS = String.raw`
import importlib.util, inspect, json, os, sys, traceback

events = os.fdopen(3, "w")
def emit(**event):
    events.write(json.dumps(event, default=str) + "\n")
    events.flush()

app_root = os.environ["AML_APP_ROOT"]
entry = os.environ["AZUREML_ENTRY_SCRIPT"]
if app_root not in sys.path:
    sys.path.append(app_root)
# Stand-ins for packages the environment installs and this interpreter lacks, after everything real.
for fallback in os.environ.get("ACI_MIGRATE_FALLBACK_PATH", "").split(os.pathsep):
    if fallback:
        sys.path.append(fallback)

def frames(ex):
    out = []
    for f in traceback.extract_tb(ex.__traceback__):
        out.append({"file": f.filename, "line": f.lineno, "function": f.name, "code": f.line or ""})
    # A SyntaxError happens in the file being compiled, which no frame of the traceback is.
    if isinstance(ex, SyntaxError) and ex.filename:
        out.append({"file": ex.filename, "line": ex.lineno or 0, "function": "<module>", "code": (ex.text or "").rstrip()})
    return out

def crash(phase, ex, index=None):
    emit(event="crash", phase=phase, index=index, type=type(ex).__name__, message=str(ex).split("\n")[0][:2000],
         frames=frames(ex), traceback=traceback.format_exception(type(ex), ex, ex.__traceback__))

# The server answers the v1 names of its raw-HTTP modules with its own (server/__init__.py); where it is installed, so does this.
try:
    import azureml_inference_server_http.api.aml_request as _aml_request
    import azureml_inference_server_http.api.aml_response as _aml_response
    sys.modules.setdefault("azureml.contrib.services.aml_request", _aml_request)
    sys.modules.setdefault("azureml.contrib.services.aml_response", _aml_response)
except Exception:
    _aml_request = None

phase = "import"
try:
    spec = importlib.util.spec_from_file_location("entry_module", os.path.join(app_root, entry))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name in ("init", "run"):
        if not hasattr(module, name):
            raise AttributeError("User script at %s does not have a %s() function defined." % (module.__file__, name))
    phase = "init"
    module.init()
    run = getattr(getattr(module, "driver_module", None), "run", None) or module.run
    params = [p for p in inspect.signature(run).parameters.values() if p.name != "request_headers"]
    wants_headers = any(p.name == "request_headers" for p in inspect.signature(run).parameters.values())
    try:
        from inference_schema.schema_util import is_schema_decorated
        decorated = is_schema_decorated(run)
    except Exception:
        decorated = False
    raw = bool(_aml_request is not None and getattr(_aml_request, "_rawHttpRequested", False))
except BaseException as ex:
    crash(phase, ex)
    sys.exit(3)

emit(event="started")
headers = {"Content-Type": "application/json"}
for index, line in enumerate(sys.stdin):
    try:
        body = json.loads(line)
        if raw:
            from flask import Request
            from werkzeug.test import EnvironBuilder
            kwargs = {params[0].name: Request(EnvironBuilder(method="POST", data=body, headers=headers).get_environ())}
        elif decorated:
            parsed = json.loads(body)
            kwargs = {p.name: parsed.get(p.name, p.default) for p in params}
        else:
            kwargs = {params[0].name: body}
        if wants_headers:
            kwargs["request_headers"] = headers
        output = run(**kwargs)
        if hasattr(output, "status_code") and hasattr(output, "get_data"):
            emit(event="answer", index=index, status=output.status_code, body=output.get_data(as_text=True))
        else:
            emit(event="answer", index=index, status=200, body=json.dumps(output))
    except BaseException as ex:
        crash("run", ex, index)
        emit(event="answer", index=index, status=500, body=json.dumps({"message": "An unexpected error occurred in scoring script. Check the logs for more info."}))
`;

/** One line the harness reports. */
export type HarnessEvent =
  | { readonly event: "started" }
  | { readonly event: "answer"; readonly index: number; readonly status: number; readonly body: string }
  | {
      readonly event: "crash";
      readonly phase: "import" | "init" | "run";
      /** The request it failed on (run() only). */
      readonly index?: number | null;
      readonly type: string;
      readonly message: string;
      readonly frames: readonly { file: string; line: number; function: string; code: string }[];
      readonly traceback: readonly string[];
    };

export function parseHarnessEvents(text: string): HarnessEvent[] {
  return text
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as HarnessEvent];
      } catch {
        return [];
      }
    });
}
