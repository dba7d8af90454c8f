"""Mutation testing of one core module at a time (mutmut 3), bounded in time and niced.

    .venv/bin/python scripts/mutation.py MODULE [--minutes N] [--keep] [--only PATTERN ...]
    .venv/bin/python scripts/mutation.py --list

MODULE is one of the names below (the domain rules, the store's write path, erasure, the
server's push and the sync engine).  Each is mutated alone, with only the test files that
exercise it, in a scratch copy of the repository (so the working tree is never touched and
two runs never share a `mutants/` folder).  The run stops after `--minutes` (default 15); the
mutants not reached by then are reported as such, not as survivors.

`--only` limits the run to the mutants whose names match one of the patterns (fnmatch, as
mutmut names them: `bpjs_field.server.push.xǁPushApplierǁ_officer__mutmut_*` for a method,
`bpjs_field.sync.engine.x_park__mutmut_*` for a function), so the part of a large module
under judgement is checked whole within the time limit.

The last lines printed are the score, `killed / (killed + survived)`, and each surviving
mutant's name; `mutmut show NAME` in the kept copy (`--keep`) prints its diff.  Surviving
mutants are either killed by a new test or listed in tests/MUTATION.md with the reason they
are equivalent.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# module name -> (file mutated, test files run against it)
# Test files (or node ids) that do not exist in the tree being mutated are left out, so the
# same list serves a run on an older commit (`--at`).
MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "registration": ("bpjs_field/domain/registration.py",
                     ("tests/core/test_identity_fields.py", "tests/security/test_hostile_input.py",
                      "tests/core/test_domain_rules.py")),
    "contribution": ("bpjs_field/domain/contribution.py",
                     ("tests/core/test_contribution.py", "tests/core/test_contribution_parts.py",
                      "tests/core/test_domain_rules.py", "tests/followup/test_current_amount.py",
                      "tests/followup/test_report_money.py")),
    "store-write": ("bpjs_field/store/registrations.py",
                    ("tests/core/test_store.py", "tests/core/test_durability.py",
                     "tests/core/test_store_writes.py")),
    "erasure": ("bpjs_field/store/erasure.py",
                ("tests/security/test_erasure.py",
                 "tests/server/test_erasure_sync.py::test_the_personal_field_list_covers_every_person_field",
                 "tests/server/test_erasure_sync.py::test_erasure_on_the_laptop_clears_every_personal_field",
                 "tests/security/test_erasure_rules.py")),
    # The server's push runs in process only in these tests (elsewhere in server processes,
    # which mutmut cannot follow).
    "push": ("bpjs_field/server/push.py", ("tests/server/test_push_inprocess.py",
                                           "tests/server/test_push_officers_inprocess.py",
                                           "tests/server/test_push_entities_inprocess.py",
                                           "tests/server/test_push_erasure_inprocess.py",
                                           "tests/server/test_push_consents_inprocess.py",
                                           "tests/server/test_push_reads_inprocess.py")),
    # Each entity's rules (moved out of push.py: _officer, _print, _supervised, ...).
    "push-handlers": ("bpjs_field/server/handlers.py",
                      ("tests/server/test_push_inprocess.py",
                       "tests/server/test_push_officers_inprocess.py",
                       "tests/server/test_push_entities_inprocess.py",
                       "tests/server/test_push_erasure_inprocess.py",
                       "tests/server/test_push_consents_inprocess.py")),
    # The erasure applied inside a push (moved out of push.py).
    "server-erasure": ("bpjs_field/server/erasure.py",
                       ("tests/server/test_push_inprocess.py",
                        "tests/server/test_push_officers_inprocess.py",
                        "tests/server/test_push_erasure_inprocess.py")),
    "engine": ("bpjs_field/sync/engine.py",
               ("tests/server/test_refused_changes.py", "tests/server/test_push_inprocess.py",
                "tests/server/test_sync_engine_inprocess.py", "tests/server/test_hub_refusals.py",
                "tests/server/test_sync_engine_push_inprocess.py",
                "tests/server/test_sync_engine_pull_inprocess.py",
                "tests/server/test_sync_engine_round_inprocess.py",
                "tests/server/test_sync_engine_enrol_inprocess.py",
                # the only test of the engine with an encrypted laptop (pulled branch logins)
                "tests/security/test_branch_accounts.py::"
                "test_a_branch_officer_logs_in_offline_on_a_laptop_they_never_used",
                # the only round of a laptop restored without its marks (`learn` in `run`)
                "tests/server/test_restored_marks.py::"
                "test_restored_on_a_new_disk_learns_its_marks_from_the_branch",
                # the only push of a change a supervisor signed on an officer's laptop
                "tests/security/test_server_roles.py::"
                "test_a_branch_supervisor_on_an_officers_laptop_signs_and_the_server_accepts",
                # ... and of one carried by hand, with its origin's signature as well
                "tests/security/test_server_roles.py::"
                "test_a_supervisors_signed_change_carried_by_hand_keeps_its_signature")),
}

COPIED = ("bpjs_field", "tests", "resources", "ui", "README.md")


def _config(module: str, tests: tuple[str, ...]) -> str:
    quoted = ", ".join(f'"{t}"' for t in tests)
    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["bpjs_field"]\n'
        f'only_mutate = ["{module}"]\n'
        'also_copy = ["resources", "ui", "README.md"]\n'
        f"pytest_add_cli_args_test_selection = [{quoted}]\n"
        '# no GUI, no PostgreSQL twin runs, no pytest timeout plugin inside forked mutants\n'
        'pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x", "-m", "not gui", '
        '"-k", "not postgresql"]\n'
        "timeout_multiplier = 3.0\n"
        "timeout_constant = 15.0\n"
        "use_git_change_detection = false\n"
    )


def _exists(work: Path, test: str) -> bool:
    """A test file, or a `file::function` node id, present in the scratch copy."""
    path, _, function = test.partition("::")
    if not (work / path).exists():
        return False
    return not function or f"def {function}(" in (work / path).read_text("utf-8")


def _scratch(module: str, tests: tuple[str, ...], at: str | None) -> Path:
    work = Path(tempfile.mkdtemp(prefix="bpjs-mutation-"))
    if at:  # the code and tests as they were at that commit
        archive = subprocess.run(["git", "archive", at, *COPIED], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
    else:
        for name in COPIED:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, work / name, ignore=shutil.ignore_patterns("__pycache__"))
            elif src.exists():
                shutil.copy2(src, work / name)
    tests = tuple(t for t in tests if _exists(work, t))
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    text = re.sub(r"\n\[tool\.mutmut\].*?(?=\n\[|\Z)", "", text, flags=re.S)
    (work / "pyproject.toml").write_text(text + _config(module, tests), "utf-8")
    (work / "selected-tests.txt").write_text("\n".join(tests), "utf-8")
    return work


def _results(work: Path, mutmut: str) -> dict[str, list[str]]:
    out = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True,
                         text=True).stdout
    by_status: dict[str, list[str]] = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name:
            by_status.setdefault(status.strip(), []).append(name)
    return by_status


def run(name: str, minutes: float, keep: bool, tests_override: list[str] | None = None,
        at: str | None = None, only: list[str] | None = None) -> int:
    module, tests = MODULES[name]
    tests = tuple(tests_override) if tests_override else tests
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    work = _scratch(module, tests, at)
    tests = tuple((work / "selected-tests.txt").read_text("utf-8").split())
    if not tests:
        print(f"{name}: no test of the selection exists{f' at {at}' if at else ''}")
        shutil.rmtree(work, ignore_errors=True)
        return 1
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BPJS_FIELD_NO_DEMO": "1"}
    print(f"mutating {module}{f' at {at}' if at else ''} against {', '.join(tests)} in {work} "
          f"(at most {minutes} min{'; only ' + ', '.join(only) if only else ''})", flush=True)
    try:
        with open(work / "mutmut-run.log", "w", encoding="utf-8") as log:
            subprocess.run(["nice", "-n", "19", mutmut, "run", "--max-children", "1", *(only or ())],
                           cwd=work,
                           env=env, timeout=minutes * 60, stdout=log, stderr=subprocess.STDOUT)
        finished = True
    except subprocess.TimeoutExpired:
        finished = False
    by_status = _results(work, mutmut)
    if only:  # `mutmut results` lists every mutant of the module; keep the ones selected
        by_status = {status: [m for m in names if any(fnmatch.fnmatch(m, p) for p in only)]
                     for status, names in by_status.items()}
        by_status = {status: names for status, names in by_status.items() if names}
    killed = len(by_status.get("killed", [])) + len(by_status.get("timeout", []))
    survived = by_status.get("survived", []) + by_status.get("no tests", [])
    total = sum(len(v) for v in by_status.values())
    counts = ", ".join(f"{k} {len(v)}" for k, v in sorted(by_status.items()))
    print(f"{name}: {counts}; {total} mutants{'' if finished else ' (stopped by the time limit)'}")
    if killed + len(survived):
        # "no tests": no selected test runs the mutated function, so nothing would notice it.
        print(f"{name}: score {killed}/{killed + len(survived)} = "
              f"{100 * killed / (killed + len(survived)):.1f} % of the mutants checked")
    for mutant in survived:
        print(f"survived: {mutant}")
    if keep:
        print(f"kept: {work} (mutmut show NAME there)")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("module", nargs="?", choices=sorted(MODULES))
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--tests", nargs="+", help="test files to run instead of the module's own")
    parser.add_argument("--at", help="mutate the code and run the tests of this git commit "
                                     "(a score before new tests)")
    parser.add_argument("--only", nargs="+", metavar="PATTERN",
                        help="mutate only the mutants whose names match (fnmatch patterns)")
    args = parser.parse_args()
    if args.list or not args.module:
        for name, (module, tests) in MODULES.items():
            print(f"{name:13} {module}  ({', '.join(tests)})")
        return 0
    return run(args.module, args.minutes, args.keep, args.tests, args.at, args.only)


if __name__ == "__main__":
    sys.exit(main())
