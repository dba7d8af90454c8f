"""`bpjs-field security ...`: encrypting the laptop database and managing its accounts.

    security init      protect a database (new, or a plain one encrypted in place):
                       the first account is a supervisor
    security accounts  list the laptop's accounts (supervisor)
    security add       add an officer or supervisor account (supervisor)
    security reset     set a new password for a forgotten one, optionally a new role (supervisor)
    security passwd    change one's own password
    security erase     erase a person's personal data, or record withdrawn consent (supervisor)

Who is working on an encrypted database: `--employee-no` where a command has it,
else `BPJS_FIELD_EMPLOYEE_NO`, else a prompt.  Passwords are read from the
terminal without echo, or one per line from stdin (`--password-stdin`, or stdin
not being a terminal); never from the command line, where `ps` and the shell
history would keep them.  Imports stay inside the functions so the command
line starts fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

EMPLOYEE_ENV = "BPJS_FIELD_EMPLOYEE_NO"


class _Passwords:
    """Reads passwords in order: from stdin lines, or prompted on the terminal."""

    def __init__(self, from_stdin: bool) -> None:
        self.from_stdin = from_stdin or not sys.stdin.isatty()

    def read(self, prompt: str) -> str:
        from bpjs_field.errors import BpjsFieldError
        if self.from_stdin:
            line = sys.stdin.readline()
            if not line:
                raise BpjsFieldError("security.password_stdin")
            return line.rstrip("\r\n")
        import getpass
        return getpass.getpass(prompt)


def _new_password(args: argparse.Namespace, prompt: str) -> tuple[str, str]:
    """A new password and its repetition (prompted, or two lines of stdin)."""
    passwords = _Passwords(args.password_stdin)
    return passwords.read(prompt), passwords.read("Ulangi kata sandi: ")


def _employee_no(args: argparse.Namespace) -> str:
    number = getattr(args, "employee_no", None) or os.environ.get(EMPLOYEE_ENV)
    if not number:
        if not sys.stdin.isatty():
            from bpjs_field.errors import BpjsFieldError
            raise BpjsFieldError("security.needs_login")
        number = input("Nomor pegawai: ")
    return number


# Commands that may create a database where there is none: only synthetic data goes in.
CREATES_PLAIN = ("demo",)


def open_for_cli(args: argparse.Namespace, db_path: Path | str) -> Any:
    """`args.open_store()`: a plain database opens as before; an encrypted one logs in.

    No command creates a database with personal data in the clear: where there is no
    database yet, the laptop is not set up (the first start of the app, or `security
    init`, creates it encrypted with its first account), and the command is refused
    with how to set it up.  Only `demo`, whose people are made up, creates one."""
    from bpjs_field.security.keys import keys_path
    from bpjs_field.store import Store
    if not keys_path(db_path).exists():
        if not _database_exists(db_path) and getattr(args, "command", None) not in CREATES_PLAIN:
            from bpjs_field.errors import KnownError
            raise KnownError("storage.not_set_up", path=str(db_path)[:200])
        return Store.open(db_path)
    from bpjs_field.security import session
    number = _employee_no(args)
    password = _Passwords(getattr(args, "password_stdin", False)).read("Kata sandi: ")
    return session.unlock(db_path, number, password)


def _database_exists(db_path: Path | str) -> bool:
    path = Path(db_path)
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def _db(args: argparse.Namespace) -> Path:
    from bpjs_field.paths import default_db_path
    return Path(args.db or default_db_path())


def cmd_init(args: argparse.Namespace) -> int:
    from bpjs_field.security import session
    passwords = _Passwords(args.password_stdin)
    password = passwords.read("Kata sandi baru: ")
    confirm = passwords.read("Ulangi kata sandi: ")
    store = session.create_protected(_db(args), employee_no=args.employee_no,
                                     full_name=args.full_name, branch=args.branch,
                                     password=password, confirm=confirm)
    store.close()
    print(f"Basis data terenkripsi; akun supervisor {args.employee_no.upper()} dibuat.")
    return 0


def cmd_accounts(args: argparse.Namespace) -> int:
    from bpjs_field.security import session
    store = args.open_store()
    session.require_supervisor(store, "manage accounts")
    for row in session.accounts(store):
        locked = f"  (terkunci {row['locked_for']} detik)" if row["locked_for"] else ""
        source = "cabang" if row["source"] == "server" else "laptop"
        print(f"{row['employee_no']:<12} {row['role']:<11} {source:<7} {row['full_name']}{locked}")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from bpjs_field.security import session
    store = args.open_store()
    session.require_supervisor(store, "manage accounts")
    password, confirm = _new_password(args, f"Kata sandi untuk {args.new_employee_no}: ")
    account = session.add_account(store, employee_no=args.new_employee_no,
                                  full_name=args.full_name, branch=args.branch, role=args.role,
                                  password=password, confirm=confirm)
    print(f"Akun {account.employee_no} ({account.role}) dibuat.")
    return 0


def cmd_reset(args: argparse.Namespace) -> int:
    from bpjs_field.security import session
    store = args.open_store()
    session.require_supervisor(store, "manage accounts")
    password, confirm = _new_password(args, f"Kata sandi baru untuk {args.target}: ")
    account = session.reset_password(store, args.target, password, confirm, role=args.role)
    print(f"Kata sandi {account.employee_no} diganti ({account.role}).")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    from bpjs_field.security import session
    passwords = _Passwords(args.password_stdin)
    number = _employee_no(args)
    old = passwords.read("Kata sandi lama: ")
    new = passwords.read("Kata sandi baru: ")
    confirm = passwords.read("Ulangi kata sandi baru: ")
    store = session.unlock(_db(args), number, old)
    try:
        session.change_own_password(store, number, old, new, confirm)
    finally:
        store.close()
    print("Kata sandi diganti.")
    return 0


def cmd_erase(args: argparse.Namespace) -> int:
    from bpjs_field.store.erasure import erase_person
    store = args.open_store()
    person = store.people.get(args.person_id)
    if person is None:
        from bpjs_field.errors import NotFoundError
        raise NotFoundError("not_found", what="Peserta", value=args.person_id[:40])
    erase_person(store, person["id"], withdrawn=args.withdrawn,
                 reason="consent_withdrawn" if args.withdrawn else "request")
    print("Data pribadi peserta dihapus; jumlah pendaftaran dan jejak audit tetap.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    security = sub.add_parser("security", help="enkripsi basis data dan akun petugas")
    cmds = security.add_subparsers(dest="security_command", metavar="PERINTAH", required=True)

    def common(p: argparse.ArgumentParser, *, login: bool = True) -> None:
        if login:
            p.add_argument("--employee-no", metavar="NOMOR", help="nomor pegawai yang masuk")
        p.add_argument("--password-stdin", action="store_true",
                       help="baca kata sandi dari stdin, satu per baris")

    p = cmds.add_parser("init", help="enkripsi basis data; akun pertama = supervisor")
    p.add_argument("--employee-no", required=True, metavar="NOMOR")
    p.add_argument("--full-name", required=True)
    p.add_argument("--branch", required=True)
    common(p, login=False)
    p.set_defaults(handler=cmd_init)

    p = cmds.add_parser("accounts", help="daftar akun laptop ini")
    common(p)
    p.set_defaults(handler=cmd_accounts)

    p = cmds.add_parser("add", help="tambah akun petugas")
    p.add_argument("new_employee_no", metavar="NOMOR_BARU")
    p.add_argument("--full-name", required=True)
    p.add_argument("--branch")
    p.add_argument("--role", choices=("officer", "supervisor"), default="officer")
    common(p)
    p.set_defaults(handler=cmd_add)

    p = cmds.add_parser("reset", help="kata sandi baru untuk akun yang lupa")
    p.add_argument("target", metavar="NOMOR")
    p.add_argument("--role", choices=("officer", "supervisor"))
    common(p)
    p.set_defaults(handler=cmd_reset)

    p = cmds.add_parser("erase", help="hapus data pribadi peserta (permintaan hapus / tarik persetujuan)")
    p.add_argument("person_id", metavar="ID_PESERTA")
    p.add_argument("--withdrawn", action="store_true", help="peserta menarik persetujuannya")
    common(p)
    p.set_defaults(handler=cmd_erase)

    p = cmds.add_parser("passwd", help="ganti kata sandi sendiri")
    common(p)
    p.set_defaults(handler=cmd_passwd)
