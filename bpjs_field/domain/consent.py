"""The privacy notice a participant agrees to before registration (UU PDP 27/2022).

The text lives in `resources/reference/privacy_notice.json` with a version;
the version is stored with every person and registration, so it is known
which wording each person accepted.
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


@lru_cache(maxsize=1)
def _bundled() -> PrivacyNotice:
    data = json.loads(resource_path("reference", "privacy_notice.json").read_text("utf-8"))
    return PrivacyNotice(version=data["version"], text_id=data["id"], text_en=data["en"])


def privacy_notice() -> PrivacyNotice:
    """The notice in force: the branch server's (received at sync) or the bundled one."""
    return _installed or _bundled()


def install_notice(data: dict | None) -> PrivacyNotice:
    """Use this notice from now on (None: back to the bundled one)."""
    global _installed
    _installed = (PrivacyNotice(version=str(data["version"]), text_id=str(data["id"]),
                                text_en=str(data["en"])) if data is not None else None)
    return privacy_notice()
