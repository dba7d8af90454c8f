"""The privacy notice a participant agrees to before registration (UU PDP 27/2022).

The text lives in `resources/reference/privacy_notice.json` with a version;
the version is stored with every person and registration, so it is known
which wording each person accepted.  A new wording gets a new version and the
one it replaces moves to `previous` in the same file: `notice_for(version)`
gives the words a person agreed to, whichever version is in force now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from bpjs_field.paths import resource_path


@dataclass(frozen=True)
class PrivacyNotice:
    version: str
    text_id: str
    text_en: str

    def text(self, lang: str = "id") -> str:
        return self.text_en if lang == "en" else self.text_id


_installed: PrivacyNotice | None = None


_installed_previous: tuple[PrivacyNotice, ...] = ()


def _notices(data: dict) -> tuple[PrivacyNotice, ...]:
    """The version in force, then the earlier ones the file keeps."""
    return tuple(PrivacyNotice(version=str(d["version"]), text_id=str(d["id"]),
                               text_en=str(d["en"]))
                 for d in (data, *(data.get("previous") or ())))


@lru_cache(maxsize=1)
def _bundled_all() -> tuple[PrivacyNotice, ...]:
    return _notices(json.loads(resource_path("reference", "privacy_notice.json").read_text("utf-8")))


def _bundled() -> PrivacyNotice:
    return _bundled_all()[0]


def notice_for(version: str | None) -> PrivacyNotice | None:
    """The wording of this version (the one in force or an earlier one), or None when
    neither the branch's notice nor the bundled file knows it."""
    for notice in (*((_installed,) if _installed else ()), *_installed_previous,
                   *_bundled_all()):
        if notice.version == version:
            return notice
    return None


def privacy_notice() -> PrivacyNotice:
    """The notice in force: the branch server's (received at sync) or the bundled one."""
    return _installed or _bundled()


def install_notice(data: dict | None) -> PrivacyNotice:
    """Use this notice from now on (None: back to the bundled one)."""
    global _installed, _installed_previous
    notices = _notices(data) if data is not None else ()
    _installed = notices[0] if notices else None
    _installed_previous = notices[1:]
    return privacy_notice()
