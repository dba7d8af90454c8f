"""Self-registration at an event: participants fill in their own form on their phone while
they queue; the officer scans the phone's QR and saves (DESIGN.md beside this file)."""

from bpjs_field.messages import CATALOGUE

CATALOGUE.update({
    "selfreg.not_prereg": ("Ini bukan QR pra-pendaftaran; pindai QR di layar ponsel peserta.",
                           "This is not a pre-registration QR; scan the QR on the participant's phone."),
    "selfreg.damaged": ("QR pra-pendaftaran terbaca tidak utuh; pindai ulang, tahan ponsel diam di depan pemindai.",
                        "The pre-registration QR was read incomplete; scan it again, holding the phone still."),
    "selfreg.other_event": ("QR pra-pendaftaran ini dari acara lain (kunci acara berbeda); minta peserta mengisi ulang di halaman acara ini.",
                            "This pre-registration QR is from another event (different event key); ask the participant to fill in the page of this event again."),
    "selfreg.no_keys": ("Laptop ini belum punya kunci acara untuk membuka QR pra-pendaftaran; jadikan hub atau gabung ke hub acara dulu.",
                        "This laptop has no event key to open pre-registration QRs; start or join the event hub first."),
    "selfreg.forged": ("QR pra-pendaftaran ditolak: tidak dibuat oleh halaman acara ini atau sudah diubah. Daftarkan peserta dengan KTP.",
                       "Pre-registration QR refused: not made by this event's page, or altered. Register the participant from the KTP."),
    "selfreg.expired": ("QR pra-pendaftaran ini dibuat pada hari lain; minta peserta mengisi ulang halaman acara hari ini.",
                        "This pre-registration QR was made on another day; ask the participant to fill in today's page again."),
    "selfreg.replayed": ("QR pra-pendaftaran ini sudah dipakai dan disimpan pukul {time} ({code}); tidak didaftarkan dua kali.",
                         "This pre-registration QR was already used and saved at {time} ({code}); not registered twice."),
    "selfreg.rate_limited": ("Terlalu banyak permintaan dari ponsel ini; coba lagi dalam {seconds} detik.",
                             "Too many requests from this phone; try again in {seconds} seconds."),
})
