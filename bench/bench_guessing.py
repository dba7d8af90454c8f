"""Offline guessing against a policy-conformant password (issue "No bad input, lost answer
or restored laptop can stop a branch", item 6).

Someone who copies a laptop's key file, or a branch login a laptop received, can try
passwords without any lock-out: each guess costs one argon2id derivation with the
account's settings (`DEFAULT_KDF`: 64 MiB, 3 passes) and one X25519 multiplication.  This
measures that rate on this machine, one process and one per core, against the login of a
password the policy accepts; as the baseline in the same run, the rate of one SHA-256 a
guess (what a fast, unsalted hash would allow).  It prints how long exhausting a few
password spaces takes at the measured rate.

Run: `.venv/bin/python bench/bench_guessing.py [--guesses 20] [--smoke]`
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bpjs_field.security.keys import DEFAULT_KDF, _derive, _unb64, make_branch_login  # noqa: E402
from bpjs_field.security.passwords import common_passwords, password_problem  # noqa: E402

TARGET = "senam-pagi-karangasih"  # accepted by the policy


def _attack(args: tuple[dict, list[str]]) -> int:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    login, guesses = args
    salt, public = _unb64(login["salt"]), _unb64(login["public_key"])
    found = 0
    for guess in guesses:
        secret = _derive(guess, salt, login["argon2"])
        key = X25519PrivateKey.from_private_bytes(secret).public_key()
        if key.public_bytes(Encoding.Raw, PublicFormat.Raw) == public:
            found += 1
    return found


def rate(login: dict, guesses: list[str], processes: int) -> float:
    chunks = [guesses[i::processes] for i in range(processes)]
    start = time.perf_counter()
    if processes == 1:
        _attack((login, guesses))
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            pool.map(_attack, [(login, c) for c in chunks])
    return len(guesses) / (time.perf_counter() - start)


def sha_rate(n: int = 200_000) -> float:
    start = time.perf_counter()
    for i in range(n):
        hashlib.sha256(b"salt" + str(i).encode()).digest()
    return n / (time.perf_counter() - start)


def human(seconds: float) -> str:
    for unit, size in (("years", 365 * 86400), ("days", 86400), ("hours", 3600),
                       ("minutes", 60)):
        if seconds >= size:
            return f"{seconds / size:,.1f} {unit}"
    return f"{seconds:.1f} s"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guesses", type=int, default=20)
    parser.add_argument("--smoke", action="store_true",
                        help="a tiny run that checks the script works (timings not judged)")
    args = parser.parse_args()
    if args.smoke:
        args.guesses = 2
    assert password_problem(TARGET) is None
    login = make_branch_login(TARGET, DEFAULT_KDF)
    words = sorted(common_passwords())
    guesses = [w + suffix for suffix in ("", "123", "!") for w in words][:args.guesses]
    cores = os.cpu_count() or 1
    one = rate(login, guesses, 1)
    many = rate(login, guesses * cores, cores) if cores > 1 else one
    fast = sha_rate()
    print(f"argon2id {DEFAULT_KDF}: {one:.2f} guesses/s (1 process), "
          f"{many:.2f} guesses/s ({cores} processes, this machine)")
    print(f"baseline SHA-256: {fast:,.0f} guesses/s (1 process)  -> argon2id is "
          f"{fast / one:,.0f}x slower a guess")
    spaces = {
        "the shipped list of common passwords (refused by the policy)": len(words),
        "the list with 1,000 digit/symbol variants each": len(words) * 1000,
        "12 random lower-case letters": 26 ** 12,
        "3 words from a 5,000-word vocabulary, separator fixed": 5000 ** 3,
    }
    for name, size in spaces.items():
        print(f"  {name}: {size:,.0f} guesses -> {human(size / many)} at {many:.1f}/s, "
              f"{human(size / fast)} with SHA-256")
    if args.smoke:
        print("smoke run: figures printed, targets not judged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
