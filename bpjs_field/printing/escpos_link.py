"""Sending ESC/POS bytes to a receipt printer, and finding one.

Connections (python-escpos printer classes under the hood):

- ``serial``: a serial port, which is also how Bluetooth printers appear: a
  COM port on Windows once paired, ``/dev/rfcomm0`` on Linux (``rfcomm bind``);
- ``usb``: a USB printer by vendor:product id (``0416:5011``), through pyusb;
- ``win32raw``: a Windows print queue, bytes passed through untouched (the
  generic / text-only driver that cheap printers are often installed with);
- ``file``: a device file (``/dev/usb/lp0``) or an ordinary file (tests and IT
  checks read the bytes back).

`send(settings, data)` never hangs its caller: the device is opened and written
on a worker thread, in small chunks, and the caller gives up with a clear
`PrinterError` as soon as the printer has made no progress for `STALL_S`
seconds (off, out of Bluetooth range, out of paper with flow control).  Where
the printer answers ESC/POS status requests (DLE EOT 4), it is asked for its
paper before the job and again after it: a printer that answered before and
not after went away mid-job, and the officer is told the receipt may be
incomplete.  The caller (the GUI runs `send` off its thread) decides what to
do; the registration itself is saved long before any of this.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from bpjs_field.errors import KnownError

log = logging.getLogger(__name__)

# Dots across the head and characters per line in Font A / Font B, per roll width, and
# the python-escpos profile of that class of printer (POS-5890: the common Chinese 58 mm
# head inside Panda, Eppos, Xprinter and RPP02N printers; TM-P80: a 576-dot 80 mm head).
HEADS = {58: (384, 32, 42), 80: (576, 48, 64)}
PROFILES = {58: "POS-5890", 80: "TM-P80"}
DOTS_PER_MM = 8  # 203 dpi, the resolution of practically every receipt head


@dataclass(frozen=True)
class Layout:
    """How one printer is driven: roll width, QR route, cutter."""

    width_mm: int = 58
    native_qr: bool = False
    cutter: bool = True

    @property
    def dots(self) -> int:
        return HEADS[self.width_mm][0]

    @property
    def cols(self) -> int:
        return HEADS[self.width_mm][1]

    @property
    def cols_small(self) -> int:
        return HEADS[self.width_mm][2]


def load_escpos():
    """Import python-escpos.  Its printer capabilities are parsed from JSON at import
    and cached as a pickle: keep that cache in the app's data folder (not a new
    temporary folder at every start)."""
    if "escpos.capabilities" not in sys.modules:
        import shutil
        import tempfile

        from bpjs_field.paths import data_dir
        cache = data_dir() / "cache"
        cache.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(cache))
        # Its module makes an empty temporary folder at import even when the cache folder
        # is given (a default argument evaluated anyway): let it land in a scratch folder
        # of ours, removed at once, instead of leaving one in the system's temp per start.
        scratch = Path(tempfile.mkdtemp(prefix="escpos-import-", dir=cache))
        saved, tempfile.tempdir = tempfile.tempdir, str(scratch)
        try:
            import escpos.capabilities  # noqa: F401
        finally:
            tempfile.tempdir = saved
            shutil.rmtree(scratch, ignore_errors=True)
    import escpos.printer
    return escpos.printer


SETTING = "receipt_escpos_printer"
CONNECTIONS = ("serial", "usb", "win32raw", "file")
STALL_S = 2.5  # no progress for this long: the printer is not there (message within 3 s)
STATUS_WAIT_S = 0.8  # how long a printer gets to answer a status request
CHUNK = 256

PAPER_STATUS = b"\x10\x04\x04"  # DLE EOT 4: paper roll sensor
PAPER_END = 0x60  # bits 5 and 6 of the answer: no paper

CATALOGUE: dict[str, tuple[str, str]] = {
    "printer.not_configured": (
        "Belum ada printer struk; pilih di Pengaturan > Printer struk.",
        "No receipt printer yet; choose one in Settings > Receipt printer."),
    "printer.target_missing": (
        "Isi port atau alamat printer (mis. COM5, /dev/rfcomm0 atau 0416:5011).",
        "Enter the printer's port or address (e.g. COM5, /dev/rfcomm0 or 0416:5011)."),
    "printer.bad_usb_id": (
        "ID USB {target} tidak sah; tulis vendor:produk dalam heksadesimal, mis. 0416:5011.",
        "USB id {target} is not valid; write vendor:product in hexadecimal, e.g. 0416:5011."),
    "printer.not_found": (
        "Printer {target} tidak ditemukan. Nyalakan printer, sambungkan kabel atau pasangkan "
        "Bluetooth-nya, lalu coba lagi.",
        "Printer {target} not found. Switch the printer on, plug in its cable or pair its "
        "Bluetooth, then try again."),
    "printer.busy": (
        "Port {target} sedang dipakai program lain; tutup program itu lalu coba lagi.",
        "Port {target} is in use by another program; close it and try again."),
    "printer.no_access": (
        "Tidak ada izin membuka printer {target}; minta TI cabang memasang driver/izin USB.",
        "No permission to open printer {target}; ask branch IT to install the USB driver/permission."),
    "printer.no_answer": (
        "Printer {target} tidak menjawab dalam {seconds} detik: periksa apakah menyala, ada "
        "kertas, dan dalam jangkauan Bluetooth.",
        "Printer {target} did not answer within {seconds} seconds: check that it is on, has "
        "paper and is within Bluetooth range."),
    "printer.paper_out": (
        "Kertas printer {target} habis; pasang gulungan baru lalu cetak ulang.",
        "Printer {target} is out of paper; load a new roll and print again."),
    "printer.lost": (
        "Sambungan ke printer {target} terputus saat mencetak; struk mungkin tidak lengkap. "
        "Dekatkan/nyalakan printer lalu cetak ulang.",
        "The connection to printer {target} broke while printing; the receipt may be "
        "incomplete. Bring the printer closer or switch it on, then print again."),
    "printer.unsupported": (
        "Sambungan {connection} tidak tersedia di komputer ini.",
        "Connection {connection} is not available on this computer."),
}


class PrinterError(KnownError):
    """The receipt printer could not print; `.message(lang)` says what to do."""

    code = "printer.error"

    def message(self, lang: str = "id") -> str:
        pair = CATALOGUE.get(self.code)
        if pair is None:
            return self.code
        template = pair[1] if lang == "en" else pair[0]
        try:
            return template.format(**self.params)
        except (KeyError, IndexError):
            return template


@dataclass(frozen=True)
class PrinterSettings:
    """The receipt printer chosen in Settings (stored as one JSON setting)."""

    connection: str = ""  # "" = none: receipts go through the system's printers as PDFs
    target: str = ""  # COM5, /dev/rfcomm0, 0416:5011, a queue name, /dev/usb/lp0 or a file
    name: str = ""  # as found, e.g. "Bluetooth RPP02N (COM5)"
    width_mm: int = 58
    native_qr: bool = False
    cutter: bool = False
    baudrate: int = 9600

    @property
    def configured(self) -> bool:
        return bool(self.connection and self.target)

    @property
    def layout(self) -> Layout:
        return Layout(self.width_mm, self.native_qr, self.cutter)

    @property
    def label(self) -> str:
        return self.name or self.target

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: dict[str, Any] | None) -> PrinterSettings:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in (value or {}).items() if k in known})

    def checked(self) -> PrinterSettings:
        """These settings, or PrinterError saying which part is wrong."""
        if self.connection and self.connection not in CONNECTIONS:
            raise PrinterError("printer.unsupported", connection=self.connection)
        if self.connection and not self.target.strip():
            raise PrinterError("printer.target_missing")
        if self.connection == "usb":
            usb_ids(self.target)
        if self.width_mm not in (58, 80):
            raise ValueError(f"width {self.width_mm} mm")
        return self


def load_settings(store) -> PrinterSettings:
    return PrinterSettings.from_dict(store.get_setting(SETTING))


def save_settings(store, settings: PrinterSettings) -> None:
    store.set_setting(SETTING, settings.checked().to_dict())


def usb_ids(target: str) -> tuple[int, int]:
    try:
        vendor, product = target.strip().split(":")
        return int(vendor, 16), int(product, 16)
    except ValueError:
        raise PrinterError("printer.bad_usb_id", target=target) from None


# -- opening ---------------------------------------------------------------------------

def _open(settings: PrinterSettings):
    """A python-escpos printer object with its device open, or PrinterError."""
    printers = load_escpos()
    from escpos.exceptions import DeviceNotFoundError

    target = settings.target.strip()
    conn = settings.connection
    try:
        if conn == "serial":
            # No DSR/DTR handshake: Bluetooth COM ports never raise DSR and would block.
            dev = printers.Serial(target, baudrate=settings.baudrate, timeout=STATUS_WAIT_S,
                                  dsrdtr=False)
            dev.open()
            dev.device.write_timeout = STALL_S
        elif conn == "usb":
            vendor, product = usb_ids(target)
            dev = printers.Usb(vendor, product, timeout=int(STALL_S * 1000))
            dev.open()
        elif conn == "win32raw":
            if sys.platform != "win32":
                raise PrinterError("printer.unsupported", connection="Windows")
            dev = printers.Win32Raw(target)
            dev.open()
        elif conn == "file":
            if target.startswith("/dev/") and not Path(target).exists():
                raise PrinterError("printer.not_found", target=target)
            dev = printers.File(target, auto_flush=True)
            dev.open()
        else:
            raise PrinterError("printer.not_configured")
    except PrinterError:
        raise
    except DeviceNotFoundError as exc:
        raise _classify(exc, target) from None
    except Exception as exc:  # pyusb and win32 raise their own kinds
        raise _classify(exc, target) from None
    return dev


def _classify(exc: BaseException, target: str) -> PrinterError:
    text = str(exc).lower()
    if "busy" in text or "access is denied" in text and "com" in target.lower():
        return PrinterError("printer.busy", target=target)
    if "permission" in text or "access denied" in text or "errno 13" in text:
        return PrinterError("printer.no_access", target=target)
    if "timed out" in text or "timeout" in text or "host is down" in text:
        return PrinterError("printer.no_answer", target=target, seconds=int(STALL_S + 0.5))
    if "input/output" in text or "errno 5" in text or "broken pipe" in text or "reset" in text:
        return PrinterError("printer.lost", target=target)
    return PrinterError("printer.not_found", target=target)


# -- sending ---------------------------------------------------------------------------

class _Job(threading.Thread):
    """Opens, asks for paper, writes in chunks, asks again; records progress as it goes."""

    def __init__(self, settings: PrinterSettings, data: bytes) -> None:
        super().__init__(name="escpos-send", daemon=True)
        self.settings = settings
        self.data = data
        self.progress_at = time.monotonic()
        self.sent = 0
        self.error: BaseException | None = None
        self.finished = threading.Event()
        self.dev = None

    def _status(self, wait: float = STATUS_WAIT_S) -> int | None:
        """The paper status byte, or None when the printer does not answer such requests."""
        if self.settings.connection not in ("serial", "usb"):
            return None
        if self.settings.connection == "serial":
            port = self.dev.device
            port.reset_input_buffer()  # a stray answer to bytes inside an image
            port.timeout = wait
            self.dev._raw(PAPER_STATUS)
            answer = port.read(1)
        else:
            self.dev._raw(PAPER_STATUS)
            try:
                answer = self.dev._read()
            except Exception:  # a USB printer without a status endpoint
                return None
        self.progress_at = time.monotonic()
        return answer[0] if answer else None

    def _drain(self) -> None:
        """Wait for the serial line to carry what the port still holds (slow at 9600
        baud), counting each step as progress, so the status asked next is answered."""
        if self.settings.connection != "serial":
            return
        port = self.dev.device
        left = port.out_waiting
        while left:
            time.sleep(0.05)
            now_left = port.out_waiting
            if now_left < left:
                self.progress_at = time.monotonic()
            left = now_left

    def run(self) -> None:
        target = self.settings.target
        try:
            self.dev = _open(self.settings)
        except PrinterError as exc:
            self.error = exc
            self.finished.set()
            return
        try:
            self.progress_at = time.monotonic()
            before = self._status()
            if before is not None and before & PAPER_END == PAPER_END:
                raise PrinterError("printer.paper_out", target=target)
            for start in range(0, len(self.data), CHUNK):
                self.dev._raw(self.data[start:start + CHUNK])
                self.sent = min(len(self.data), start + CHUNK)
                self.progress_at = time.monotonic()
            self._drain()
            if before is not None:
                # The printer answered before the job: it must answer after it too, or it
                # went away (out of range, switched off) while the job was on its way.
                after = self._status(wait=STALL_S * 0.8)
                if after is None:
                    raise PrinterError("printer.lost", target=target)
                if after & PAPER_END == PAPER_END:
                    raise PrinterError("printer.paper_out", target=target)
        except PrinterError as exc:
            self.error = exc
        except Exception as exc:
            # The printer was open and answering: whatever failed now (EIO, a timeout,
            # a USB pipe error) is the line to the printer going away mid-job.
            log.info("receipt printer failed mid-job: %s", type(exc).__name__)
            self.error = PrinterError("printer.lost", target=target)
        self.progress_at = time.monotonic()
        self.finished.set()
        self._close()  # may wait for the port to drain: the caller has its answer already

    def _close(self) -> None:
        dev = self.dev
        if dev is None:
            return
        try:
            if self.settings.connection == "serial" and dev.device is not None:
                # pyserial's close() without python-escpos's flush() first: a flush waits
                # for a printer that may never take the rest.
                dev.device.close()
            else:
                dev.close()
        except Exception:  # the device may already be gone
            log.info("receipt printer did not close cleanly", exc_info=True)
        finally:
            dev._device = False  # nothing left for python-escpos's __del__ to close


def send(settings: PrinterSettings, data: bytes, *, stall_s: float = STALL_S) -> None:
    """Send `data` to the printer; returns when it took all of it, or raises PrinterError
    within `stall_s` of the printer making no more progress (plus at most 0.1 s)."""
    settings = settings.checked()
    if not settings.configured:
        raise PrinterError("printer.not_configured")
    job = _Job(settings, data)
    job.start()
    while not job.finished.wait(0.05):
        if time.monotonic() - job.progress_at > stall_s:
            # The worker is stuck in the driver; it is a daemon thread and ends (and
            # closes the device) whenever the call it is stuck in returns.
            lost = job.sent > 0
            raise PrinterError("printer.lost" if lost else "printer.no_answer",
                               target=settings.target, seconds=int(stall_s + 0.5))
    if job.error is not None:
        raise job.error


# -- finding ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    connection: str
    target: str
    name: str


def find_printers() -> list[Found]:
    """Receipt printers this computer can see now: serial and Bluetooth serial ports,
    USB printer-class devices, Linux usblp device files, Windows print queues."""
    found: list[Found] = []
    try:
        from serial.tools import list_ports
        for port in list_ports.comports():
            if port.description in ("n/a", "") and port.device.startswith("/dev/ttyS"):
                continue  # an unused motherboard UART
            name = port.description if port.description not in ("n/a", "") else port.device
            found.append(Found("serial", port.device, f"{name} ({port.device})"
                               if port.device not in name else name))
    except Exception:
        log.info("serial ports could not be listed", exc_info=True)
    found += [Found("file", str(p), f"USB printer ({p})")
              for p in sorted(Path("/dev/usb").glob("lp*"))] if sys.platform.startswith("linux") else []
    try:
        import usb.core
        for dev in usb.core.find(find_all=True) or []:
            if any(intf.bInterfaceClass == 7 for cfg in dev for intf in cfg):
                ident = f"{dev.idVendor:04x}:{dev.idProduct:04x}"
                try:
                    product = dev.product or "USB printer"
                except Exception:  # reading strings needs access rights
                    product = "USB printer"
                found.append(Found("usb", ident, f"{product} ({ident})"))
    except Exception:  # no libusb backend (common on Windows without a WinUSB driver)
        log.info("USB devices could not be listed", exc_info=True)
    if sys.platform == "win32":
        try:
            import win32print
            for flags, _desc, name, _comment in win32print.EnumPrinters(
                    win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS):
                found.append(Found("win32raw", name, name))
        except Exception:
            log.info("Windows printers could not be listed", exc_info=True)
    return found
