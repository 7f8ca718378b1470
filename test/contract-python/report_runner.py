"""The command line both contract suites share: `--list` prints the test ids; `--report FILE` runs every test and
writes each one's outcome ("passed", or the failure's traceback) as JSON."""
import json
import sys
import unittest


def main(module):
    tests = [t for suite in unittest.defaultTestLoader.loadTestsFromModule(module) for t in suite]
    ident = lambda t: t.id().split(".", 1)[1] if "." in t.id() else t.id()
    if "--list" in sys.argv:
        print("\n".join(ident(t) for t in tests))
        sys.exit(0)
    report = sys.argv[sys.argv.index("--report") + 1]
    # Every test starts as "not run": a class whose setUpClass failed never passes by default.
    outcomes = {ident(t): "not run" for t in tests}

    class Recording(unittest.TextTestResult):
        def addSuccess(self, test):
            super().addSuccess(test)
            outcomes[ident(test)] = "passed"

    result = unittest.TextTestRunner(verbosity=2, resultclass=Recording).run(unittest.TestSuite(tests))
    for test, trace in result.failures + result.errors:
        outcomes[ident(test)] = trace
    with open(report, "w") as f:
        json.dump(outcomes, f)
    sys.exit(0 if result.wasSuccessful() else 1)
