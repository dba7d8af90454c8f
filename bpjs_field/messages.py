"""Plain-language messages for the core's stable codes, Indonesian first, English second.

Each message says what is wrong and how to fix it.  The GUI and the command
line show these; tests compare codes, not wording.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bpjs_field.domain.formatting import format_rupiah

CATALOGUE: dict[str, tuple[str, str]] = {
    "error": ("Terjadi kesalahan.", "Something went wrong."),
    "not_found": ("{what} tidak ditemukan: {value}.", "{what} not found: {value}."),
    "validation.many": ("{count} isian belum benar.", "{count} fields need fixing."),
    "required": ("Wajib diisi.", "Required."),
    "too_long": ("Terlalu panjang: paling banyak {maximum} karakter.",
                 "Too long: at most {maximum} characters."),
    "text.control": ("Mengandung karakter kontrol yang tidak boleh; ketik ulang isian ini.",
                     "Contains control characters; retype this field."),
    "text.not_text": ("Isian ini harus berupa teks; ketik ulang isian ini.",
                      "This field must be text; retype it."),
    "region.code_invalid": ("Kode wilayah harus {digits} angka (titik boleh), contoh {example}.",
                            "The region code must have {digits} digits (dots allowed), "
                            "e.g. {example}."),
    "region.village_outside": ("Kode desa/kelurahan tidak berada di kecamatan yang diisi; periksa "
                               "kedua kode.", "The village code is not in the district given; "
                               "check both codes."),
    # NIK
    "nik.empty": ("NIK wajib diisi: 16 angka sesuai KTP.", "NIK is required: the 16 digits on the KTP."),
    "nik.not_digits": ("NIK hanya boleh berisi angka; periksa huruf yang terketik.",
                       "NIK may contain digits only; check for typed letters."),
    "nik.length": ("NIK harus 16 angka, yang diketik {length} angka.",
                   "NIK must have 16 digits; {length} were typed."),
    "nik.province": ("Kode provinsi {code} tidak dikenal; dua angka pertama NIK salah.",
                     "Province code {code} is unknown; the first two digits are wrong."),
    "nik.regency": ("Kode kabupaten/kota {code} tidak sah (tidak boleh 00).",
                    "Regency code {code} is not valid (it cannot be 00)."),
    "nik.district": ("Kode kecamatan {code} tidak sah (tidak boleh 00).",
                     "District code {code} is not valid (it cannot be 00)."),
    "nik.day": ("Tanggal lahir di NIK ({day}) tidak mungkin: 01–31 untuk laki-laki, 41–71 untuk perempuan.",
                "Birth day in the NIK ({day}) is impossible: 01–31 for men, 41–71 for women."),
    "nik.month": ("Bulan lahir di NIK ({month}) tidak mungkin: harus 01–12.",
                  "Birth month in the NIK ({month}) is impossible: it must be 01–12."),
    "nik.date": ("Tanggal lahir di NIK ({day}-{month}-{yy}) tidak ada di kalender; periksa angka ke-7 sampai ke-12.",
                 "Birth date in the NIK ({day}-{month}-{yy}) does not exist; check digits 7 to 12."),
    "nik.future": ("Tanggal lahir di NIK ({date}) belum lewat; periksa angka tahun.",
                   "Birth date in the NIK ({date}) is in the future; check the year digits."),
    "nik.serial": ("Nomor urut NIK tidak boleh 0000; periksa 4 angka terakhir.",
                   "The NIK serial cannot be 0000; check the last 4 digits."),
    "nik.unknown_district": ("Kode kecamatan {code} tidak ada di daftar wilayah {regency}; periksa kembali NIK di KTP.",
                             "District code {code} is not in the {regency} region list; check the NIK on the KTP."),
    "nik.birth_mismatch": ("Tanggal lahir berbeda dengan yang tertulis di NIK ({nik_date}); periksa KTP.",
                           "Birth date differs from the one in the NIK ({nik_date}); check the KTP."),
    "nik.sex_mismatch": ("Jenis kelamin berbeda dengan yang tertulis di NIK; periksa KTP.",
                         "Sex differs from the one in the NIK; check the KTP."),
    # phone
    "phone.empty": ("Nomor HP wajib diisi.", "Mobile number is required."),
    "phone.characters": ("Nomor HP hanya boleh berisi angka, spasi, tanda + atau -.",
                         "Mobile number may contain digits, spaces, + or - only."),
    "phone.invalid": ("Nomor HP tidak sah; tulis seperti 0812-3456-7890.",
                      "Mobile number is not valid; write it like 0812-3456-7890."),
    "phone.foreign": ("Hanya nomor HP Indonesia (+62) yang diterima.",
                      "Only Indonesian (+62) mobile numbers are accepted."),
    "phone.not_mobile": ("Ini bukan nomor HP; isikan nomor seluler yang diawali 08.",
                         "This is not a mobile number; enter one starting with 08."),
    # names
    "name.empty": ("Nama wajib diisi sesuai KTP.", "Name is required, as on the KTP."),
    "name.control": ("Nama mengandung karakter tak terlihat; ketik ulang nama.",
                     "Name contains invisible characters; retype it."),
    "name.too_long": ("Nama terlalu panjang ({length} karakter, paling banyak {maximum}).",
                      "Name is too long ({length} characters, at most {maximum})."),
    "name.digits": ("Nama tidak boleh berisi angka.", "Name may not contain digits."),
    "name.symbol": ("Nama tidak boleh berisi tanda “{char}”; yang boleh hanya huruf, spasi, ' - . ,",
                    "Name may not contain “{char}”; only letters, spaces and ' - . , are allowed."),
    "name.no_letters": ("Nama harus berisi huruf.", "Name must contain letters."),
    # foreign workers
    "passport.empty": ("Nomor paspor wajib diisi untuk TKA.", "Passport number is required for foreign workers."),
    "passport.invalid": ("Nomor paspor hanya huruf dan angka, 5–20 karakter.",
                         "Passport number is letters and digits only, 5–20 characters."),
    "nationality.empty": ("Kewarganegaraan wajib diisi untuk TKA.", "Nationality is required for foreign workers."),
    "nationality.unknown": ("Negara “{value}” tidak dikenal; pakai kode ISO seperti CN, JP, KR.",
                            "Country “{value}” is unknown; use an ISO code such as CN, JP, KR."),
    "nationality.indonesian": ("WNI didaftarkan dengan NIK, bukan paspor.",
                               "Indonesian citizens are registered with their NIK, not a passport."),
    "kitas.empty": ("Nomor KITAS/KITAP wajib diisi untuk TKA.", "KITAS/KITAP number is required for foreign workers."),
    "kitas.invalid": ("Nomor KITAS/KITAP tidak sah: huruf, angka, / atau -, 5–30 karakter.",
                      "KITAS/KITAP number is not valid: letters, digits, / or -, 5–30 characters."),
    "kitas.expired": ("KITAS/KITAP sudah habis berlaku ({date}); minta izin tinggal yang berlaku.",
                      "KITAS/KITAP expired on {date}; ask for a valid stay permit."),
    "identity.missing": ("Isi NIK, atau untuk TKA nomor paspor dan kewarganegaraan.",
                         "Enter a NIK or, for a foreign worker, passport number and nationality."),
    # contributions
    "period.invalid": ("Periode “{value}” tidak sah; tulis sebagai TTTT-BB.", "Period “{value}” is not valid; use YYYY-MM."),
    "amount.not_whole": ("Jumlah harus rupiah bulat (tanpa sen): {value}.", "Amount must be whole rupiah: {value}."),
    "income.below_minimum": ("Penghasilan yang dilaporkan paling sedikit {minimum_rp}; yang diisi {value_rp}.",
                             "Declared income must be at least {minimum_rp}; {value_rp} was entered."),
    "income.missing": ("Penghasilan yang dilaporkan wajib diisi untuk BPU.", "Declared income is required for BPU."),
    "wage.missing": ("Upah wajib diisi untuk PU.", "Wage is required for PU."),
    "wage.not_positive": ("Upah harus lebih dari Rp0.", "Wage must be more than Rp0."),
    "risk_class.invalid": ("Kelas risiko harus 1 sampai 5 (ini: {value}).", "Risk class must be 1 to 5 (got {value})."),
    "sector.unknown": ("Sektor “{value}” tidak dikenal.", "Sector “{value}” is unknown."),
    "payer.unknown": ("Sumber iuran “{value}” tidak dikenal.", "Payer “{value}” is unknown."),
    "payer_name.missing": ("Tulis nama pembayar iuran ({payer}), mis. “Pemerintah Kota Cilegon”.",
                           "Enter the name of the payer ({payer}), e.g. “Pemerintah Kota Cilegon”."),
    "employer_scale.missing": ("Pilih skala usaha pemberi kerja (mikro, kecil, menengah atau besar); "
                               "programnya bergantung pada skala itu.",
                               "Choose the employer's business scale (micro, small, medium or large); "
                               "the programmes depend on it."),
    "employer_scale.unknown": ("Skala usaha “{value}” tidak dikenal; pilih mikro, kecil, menengah atau besar.",
                               "Business scale “{value}” is unknown; choose mikro, kecil, menengah or besar."),
    "segment.unknown": ("Segmen “{value}” tidak dikenal; pilih PU, BPU, ASN atau TKA.",
                        "Segment “{value}” is unknown; choose PU, BPU, ASN or TKA."),
    "segment.tka_needs_passport": ("TKA didaftarkan dengan paspor, bukan NIK.",
                                   "Foreign workers are registered with a passport, not a NIK."),
    "months_paid.invalid": ("Bulan dibayar di muka harus 1 sampai 12.", "Months paid ahead must be 1 to 12."),
    "occupation.unknown": ("Pekerjaan “{value}” tidak ada di daftar.", "Occupation “{value}” is not in the list."),
    "consent.missing": ("Persetujuan pemrosesan data pribadi belum diberikan; bacakan pemberitahuan privasi dan minta persetujuan.",
                        "Consent to personal-data processing is missing; read out the privacy notice and ask for consent."),
    "date.invalid": ("Tanggal “{value}” tidak sah; tulis HH-BB-TTTT.", "Date “{value}” is not valid; use DD-MM-YYYY."),
    "bool.invalid": ("Isi “ya” atau “tidak” (ini: {value}).", "Enter “yes” or “no” (got {value})."),
    "number.invalid": ("“{value}” bukan angka.", "“{value}” is not a number."),
    "email.invalid": ("Alamat email tidak sah.", "Email address is not valid."),
    "event.unknown": ("Acara {value} tidak ada di basis data.", "Event {value} is not in the database."),
    "code.unknown": ("Kode pendaftaran {value} tidak ditemukan.", "Registration code {value} not found."),
    "code.malformed": ("“{value}” bukan kode pendaftaran yang sah; periksa ketikan.",
                       "“{value}” is not a valid registration code; check the typing."),
    "csv.columns": ("Kolom wajib tidak ada di berkas: {columns}. Buat templat dengan: bpjs-field import --template FILE.csv",
                    "Required columns missing from the file: {columns}. Make a template with: bpjs-field import --template FILE.csv"),
    "csv.encoding": ("Berkas bukan teks UTF-8; simpan ulang sebagai CSV UTF-8.",
                     "The file is not UTF-8 text; save it again as CSV UTF-8."),
    "file.missing": ("Berkas tidak ditemukan: {path}.", "File not found: {path}."),
    "file.unreadable": ("Berkas tidak bisa dibaca: {path} ({detail}).", "The file cannot be read: {path} ({detail})."),
    # partner lists (bpjs_field/importer.py)
    "file.too_big": ("Berkas lebih dari {maximum_mb} MB; bagi menjadi beberapa berkas.",
                     "The file is larger than {maximum_mb} MB; split it into several files."),
    "csv.duplicate_column": ("Kolom {columns} muncul dua kali di baris judul; hapus salah satunya lalu impor lagi.",
                             "Column {columns} appears twice in the header; remove one and import again."),
    "csv.row_unreadable": ("Baris ini tidak bisa dibaca sebagai CSV (tanda kutip tidak tertutup atau karakter NUL); perbaiki di spreadsheet.",
                           "This row cannot be read as CSV (an unclosed quote or a NUL character); fix it in the spreadsheet."),
    "csv.extra_cells": ("Baris ini berisi {count} sel, padahal kolomnya {columns}; mungkin ada koma di alamat tanpa tanda kutip.",
                        "This row has {count} cells for {columns} columns; maybe an address holds a comma without quotes."),
    "sex.unknown": ("Jenis kelamin “{value}” tidak dikenal; tulis L atau P (LAKI-LAKI / PEREMPUAN).",
                    "Sex “{value}” is unknown; write L or P (LAKI-LAKI / PEREMPUAN)."),
    "district.unknown": ("Kode kecamatan “{value}” tidak ada di daftar wilayah; tulis kode Kemendagri, mis. 32.16.09.",
                         "District code “{value}” is not in the region list; write the Kemendagri code, e.g. 32.16.09."),
    "birth_date.future": ("Tanggal lahir {value} belum lewat; periksa tahunnya.",
                          "Birth date {value} is in the future; check the year."),
    "birth_date.too_old": ("Tanggal lahir {value} berarti umur lebih dari {maximum} tahun; periksa tahunnya.",
                           "Birth date {value} means an age over {maximum} years; check the year."),
    "nik.excel": ("NIK “{value}” rusak: kolom NIK diformat sebagai angka di Excel (angka ke-16 hilang). Format kolom NIK sebagai Teks, ketik ulang NIK dari KTP, lalu impor lagi.",
                  "NIK “{value}” is damaged: the NIK column was formatted as a number in Excel (the 16th digit is lost). Format the NIK column as Text, retype the NIKs from the KTP and import again."),
    "import.not_saved": ("Baris ini belum disimpan: {reason} Impor berkas yang sama lagi; baris yang sudah tersimpan tidak digandakan.",
                         "This row was not saved: {reason} Import the same file again; rows already saved are not duplicated."),
    "import.interrupted": ("Impor dihentikan.", "The import was interrupted."),
    "storage.not_set_up": ("Basis data {path} belum ada: laptop ini belum disiapkan, dan data peserta hanya disimpan terenkripsi. Buka aplikasi untuk penyiapan pertama, atau jalankan: bpjs-field --db {path} security init --employee-no NOMOR --full-name NAMA --branch CABANG",
                           "Database {path} does not exist: this laptop is not set up yet, and participants' data are only stored encrypted. Open the app for the first-start setup, or run: bpjs-field --db {path} security init --employee-no NUMBER --full-name NAME --branch BRANCH"),
    # files the command line writes (bpjs_field/outputs.py)
    "output.unwritable": ("Tidak bisa menulis {option} {path}: {reason}. Tidak ada yang dikerjakan; pilih lokasi lain lalu ulangi.",
                          "Cannot write {option} {path}: {reason}. Nothing was done; choose another location and try again."),
    "output.write_failed": ("Menulis {option} {path} gagal: {reason}.", "Writing {option} {path} failed: {reason}."),
    "output.reason.permission": ("tidak ada izin menulis di folder itu", "no permission to write in that folder"),
    "output.reason.read_only": ("folder itu hanya-baca", "that folder is read-only"),
    "output.reason.name_too_long": ("nama berkas terlalu panjang", "the file name is too long"),
    "output.reason.disk_full": ("disk penuh", "the disk is full"),
    "output.reason.no_folder": ("folder itu tidak ada", "that folder does not exist"),
    "output.reason.directory": ("itu sebuah folder; tulis nama berkas di dalamnya", "that is a folder; name a file inside it"),
    "output.reason.not_a_file": ("itu bukan berkas biasa", "that is not a regular file"),
    "output.reason.invalid_name": ("nama berkas tidak sah", "the file name is not valid"),
    "import.report_failed": ("{summary} Laporan tidak bisa ditulis ke {path}: {reason}; impor berkas yang sama lagi dengan --report di lokasi lain (baris yang sudah tersimpan tidak digandakan).",
                             "{summary} The report could not be written to {path}: {reason}; import the same file again with --report elsewhere (rows already saved are not duplicated)."),
    "import.row_failed": ("Baris ini tidak bisa disimpan karena kesalahan aplikasi (lihat log); baris lain tetap diimpor.",
                          "This row could not be saved because of an application error (see the log); the other rows were imported."),
    # storage
    "storage.full": ("Disk penuh: data baru tidak bisa disimpan. Data yang sudah tersimpan aman. Kosongkan ruang disk lalu simpan lagi.",
                     "The disk is full: new data cannot be saved. Data already saved is safe. Free some disk space and save again."),
    "storage.locked": ("Basis data sedang dipakai proses lain; tunggu sebentar lalu coba lagi.",
                       "The database is busy in another process; wait a moment and try again."),
    "storage.readonly": ("Basis data tidak bisa ditulis (hanya-baca); periksa lokasi penyimpanan.",
                         "The database cannot be written (read-only); check where it is stored."),
    "storage.open": ("Basis data tidak bisa dibuka di {path}: {detail}. Periksa lokasi dan izin folder.",
                     "The database cannot be opened at {path}: {detail}. Check the location and folder permissions."),
    "backup.damaged": ("Cadangan {path} rusak ({detail}); pilih cadangan lain.",
                       "Backup {path} is damaged ({detail}); choose another backup."),
    "backup.foreign": ("Berkas {path} bukan cadangan bpjs_field yang bisa dibaca versi ini.",
                       "File {path} is not a bpjs_field backup this version can read."),
    # hand-carried export files (bpjs_field/handcarry.py)
    "handcarry.passphrase_short": ("Kata sandi berkas minimal {minimum} karakter.",
                                   "The file passphrase must have at least {minimum} characters."),
    "passphrase.mismatch": ("Kedua kata sandi tidak sama; ulangi.", "The two passphrases differ; try again."),
    "handcarry.not_export": ("Berkas ini bukan ekspor bpjs_field.", "This file is not a bpjs_field export."),
    "handcarry.wrong_passphrase": ("Kata sandi berkas salah; tidak ada yang diimpor.",
                                   "Wrong file passphrase; nothing was imported."),
    "handcarry.damaged": ("Berkas rusak, terpotong, atau telah diubah; tidak ada yang diimpor. "
                          "Minta ekspor baru dari laptop asal.",
                          "The file is damaged, cut short or was altered; nothing was imported. "
                          "Ask for a new export from the original laptop."),
    "storage.corrupt": ("Berkas basis data rusak: {detail}. Pulihkan dari cadangan.",
                        "The database file is damaged: {detail}. Restore it from a backup."),
    "storage.newer": ("Basis data dibuat oleh versi aplikasi yang lebih baru (skema {found}); perbarui aplikasi.",
                      "The database was made by a newer version of the app (schema {found}); update the app."),
    # ---- sync and branch server (bpjs_field/sync, bpjs_field/server) ----
    # The event hub (bpjs_field/sync/hub_*.py)
    "hub.pick_address": ("Pilih alamat jaringan tempat hub acara melayani (mis. alamat laptop di hotspot); hub tidak dibuka ke semua jaringan sekaligus.",
                         "Pick the network address the event hub serves on (e.g. this laptop's address on the hotspot); the hub is never opened on all networks at once."),
    "hub.not_logged_in": ("Masuk dulu sebagai petugas: hanya laptop dengan petugas yang sudah masuk yang bisa menjadi atau bergabung ke hub acara.",
                          "Log in as an officer first: only a laptop with an officer logged in can be or join an event hub."),
    "hub.not_enrolled": ("Laptop ini belum terdaftar di server cabang; daftarkan dulu (bpjs-field enroll), lalu jadikan hub atau gabung.",
                         "This laptop is not enrolled at a branch server; enrol it first (bpjs-field enroll), then start or join a hub."),
    "hub.bad_code": ("Kode gabung tidak sah: ketik 32 huruf/angka dari layar hub (tanda hubung boleh), atau pindai QR-nya.",
                     "The join code is not valid: type the 32 letters and digits shown on the hub (dashes optional), or scan its QR."),
    "hub.unreachable": ("Hub acara di {address} tidak terjangkau; pastikan laptop ini di jaringan yang sama dan hub masih menyala.",
                        "The event hub at {address} cannot be reached; check this laptop is on the same network and the hub is still on."),
    "hub.wrong_key": ("Hub di alamat itu bukan hub dari kode ini (sertifikatnya berbeda); tidak bergabung. Minta kode atau QR baru dari layar hub.",
                      "The hub at that address is not the hub of this code (its certificate differs); not joined. Ask for a new code or QR from the hub's screen."),
    "hub.bad_key": ("Kode gabung salah atau dari acara lain; periksa kode di layar hub.",
                    "The join code is wrong or from another event; check the code on the hub's screen."),
    "hub.other_branch": ("Laptop ini terdaftar di cabang lain; hanya laptop cabang yang sama yang bisa bergabung.",
                         "This laptop is enrolled at another branch; only laptops of the same branch can join."),
    "hub.unknown_officer": ("Petugas yang masuk di laptop ini bukan petugas aktif cabang ini menurut hub; sinkronkan dengan cabang dulu.",
                            "The officer logged in here is not an active officer of this branch as the hub knows it; sync with the branch first."),
    "hub.join_paused": ("Terlalu banyak kode salah; hub menerima lagi dalam satu menit.",
                        "Too many wrong codes; the hub accepts joins again in a minute."),
    "hub.refused": ("Hub menolak laptop ini (status {status}).", "The hub refused this laptop (status {status})."),
    "hub.not_joined": ("Laptop ini belum bergabung ke hub acara.", "This laptop has not joined an event hub."),
    "hub.cannot_listen": ("Hub tidak bisa dibuka di {address}: alamat itu bukan milik laptop ini atau portnya sudah dipakai.",
                          "The hub cannot listen on {address}: the address is not this laptop's or the port is in use."),
    "sync.error": ("Sinkronisasi gagal: {detail}.", "Sync failed: {detail}."),
    "sync.no_server": ("Alamat server cabang belum diisi; daftarkan laptop dengan: bpjs-field enroll --server URL --employee-no NOMOR",
                       "No branch server address yet; enrol this laptop with: bpjs-field enroll --server URL --employee-no NUMBER"),
    "sync.not_enrolled": ("Laptop ini belum terdaftar di server cabang; daftarkan lagi dengan: bpjs-field enroll --server URL --employee-no NOMOR",
                          "This laptop is not enrolled on the branch server; enrol it again with: bpjs-field enroll --server URL --employee-no NUMBER"),
    "sync.revoked": ("Laptop ini sudah dicabut aksesnya oleh cabang; data tidak dikirim, dan data pribadi yang sudah ada di server dihapus dari laptop ini. Hubungi supervisor.",
                     "This laptop's access has been revoked by the branch; nothing was sent, and the personal data already on the server were removed from this laptop. Contact a supervisor."),
    "sync.device_taken": ("Server cabang menolak pendaftaran: nomor perangkat ini milik laptop lain. Daftarkan lagi; server akan memberi nomor perangkat baru.",
                          "The branch server refused the enrolment: this device id belongs to another laptop. Enrol again; the server will issue a new device id."),
    "sync.bad_credentials": ("Nomor pegawai atau kata sandi salah.", "Employee number or password is wrong."),
    "sync.officer_inactive": ("Akun petugas ini dinonaktifkan di server cabang; hubungi supervisor.",
                              "This officer account is disabled on the branch server; contact a supervisor."),
    "sync.unreachable": ("Server cabang {server} tidak bisa dihubungi; data tetap aman di laptop dan akan dikirim nanti.",
                         "The branch server {server} cannot be reached; data stays safe on this laptop and will be sent later."),
    "sync.portal": ("Wi-Fi perlu login di peramban: jaringan ini menjawab dengan halaman login, bukan server cabang. Buka peramban dan masuk ke Wi-Fi; sinkronisasi mencoba lagi sendiri.",
                    "The Wi-Fi needs a login in the browser: this network answered with a login page, not the branch server. Open a browser and log in to the Wi-Fi; sync tries again by itself."),
    "sync.not_reachable": ("Server cabang belum terjangkau: jaringan menjawab (kode {status}), bukan server cabang. Data tetap aman di laptop; dicoba lagi nanti.",
                           "The branch server is not reachable yet: the network answered (status {status}), not the branch server. Data stays safe on this laptop; trying again later."),
    "sync.timeout": ("Server cabang tidak menjawab tepat waktu; data tetap aman di laptop, dicoba lagi nanti.",
                     "The branch server did not answer in time; data stays safe on this laptop and will be retried."),
    "sync.connection_lost": ("Sambungan ke server terputus sebelum jawaban diterima; dicoba lagi nanti tanpa data ganda.",
                             "The connection to the server dropped before the answer arrived; it will be retried without duplicates."),
    "sync.server_error": ("Server cabang sedang bermasalah (kode {status}); dicoba lagi nanti.",
                          "The branch server has a problem (status {status}); it will be retried later."),
    "sync.bad_response": ("Jawaban server tidak sah ({detail}); laptop tidak mengubah apa pun.",
                          "The server's answer is not valid ({detail}); nothing was changed on this laptop."),
    "sync.rejected": ("Server menolak permintaan ({detail}); laporkan ke tim TI cabang.",
                      "The server refused the request ({detail}); report it to the branch IT team."),
    "sync.busy": ("Sinkronisasi lain sedang berjalan di laptop ini; tunggu sampai selesai.",
                  "Another sync is already running on this laptop; wait for it to finish."),
    "sync.cancelled": ("Sinkronisasi dihentikan; yang sudah terkirim aman, sisanya dikirim nanti.",
                       "Sync was stopped; what was sent is safe, the rest is sent later."),
    "sync.clock_skew": ("Jam laptop selisih {minutes} menit dari server; betulkan tanggal dan jam laptop (waktu pada tanda terima ikut salah).",
                        "This laptop's clock is {minutes} minutes off the server; fix the laptop's date and time (receipt times are wrong too)."),
    "sync.password_empty": ("Kata sandi kosong.", "The password is empty."),
    "server.missing_psycopg": ("Dukungan PostgreSQL belum terpasang: pasang paket bpjs-field[server].",
                               "PostgreSQL support is not installed: install bpjs-field[server]."),
    "server.schema_newer": ("Basis data server dibuat oleh versi yang lebih baru (skema {found}); perbarui server.",
                            "The server database was made by a newer version (schema {found}); update the server."),
    "server.officer_fields": ("Nomor pegawai, nama, cabang dan peran (officer/supervisor) wajib diisi.",
                              "Employee number, name, branch and role (officer/supervisor) are required."),
    "server.password_short": ("Kata sandi minimal {minimum} karakter.", "The password needs at least {minimum} characters."),
    "server.password_mismatch": ("Kedua kata sandi tidak sama.", "The two passwords differ."),
    "server.officer_exists": ("Petugas {employee_no} sudah ada di server.", "Officer {employee_no} already exists on the server."),
    "server.officer_unknown": ("Petugas {employee_no} tidak ada di server.", "Officer {employee_no} is not on the server."),
    "server.device_unknown": ("Laptop {device} tidak terdaftar atau sudah dicabut.", "Device {device} is not enrolled or already revoked."),
    "sync.refused": ("Server cabang menolak {count} perubahan. Perubahan itu tetap tersimpan di laptop ini, tetapi tidak dikirim lagi "
                     "sampai dicoba ulang (bpjs-field sync --retry-refused) setelah aplikasi atau server diperbarui; laporkan ke tim TI cabang.",
                     "The branch server refused {count} change(s). They stay saved on this laptop but are not sent again until retried "
                     "(bpjs-field sync --retry-refused) after the app or the server is updated; report it to the branch IT team."),
    "sync.set_aside": ("{count} baris dari server cabang tidak bisa disimpan di laptop ini dan disisihkan (sisanya sudah masuk). Laporkan ke supervisor; baris itu masuk lagi setelah diperbaiki di cabang.",
                       "{count} rows from the branch server cannot be stored on this laptop and were set aside (everything else was applied). Tell a supervisor; a row comes again once the branch corrects it."),
    "sync.set_aside_row": ("  {entity} {id}: {reason}", "  {entity} {id}: {reason}"),
    "sync.refused_reason": ("  {count} × alasan server: {reason}", "  {count} × server's reason: {reason}"),
    "sync.refused_requeued": ("{count} perubahan yang ditolak diantrekan lagi untuk dikirim.",
                              "{count} refused change(s) queued to be sent again."),
    # ---- end of sync block ----
    # ---- conflicts block (bpjs_field/sync/conflicts.py, bpjs_field/server/conflicts.py) ----
    "conflicts.none": ("Tidak ada konflik yang menunggu keputusan.", "No conflicts are waiting for a decision."),
    "quarantine.none": ("Tidak ada perubahan yang ditahan server.", "The server holds no changes aside."),
    "conflicts.server_supervisor_only": ("Server cabang hanya menunjukkan konflik kepada laptop supervisor; laptop ini didaftarkan oleh petugas.",
                                         "The branch server shows conflicts only to a supervisor's laptop; this laptop was enrolled by an officer."),
    "conflicts.unknown": ("Konflik itu tidak ada di server: mungkin sudah diputuskan bersama konflik lain, atau data pribadi pesertanya sudah dihapus.",
                          "That conflict is not on the server: it may have been decided together with another one, or the person's data were erased."),
    "conflicts.resolved": ("Konflik itu sudah diputuskan sebelumnya; tidak ada yang diubah.",
                           "That conflict was already decided; nothing was changed."),
    "conflicts.person_erased": ("Data pribadi peserta ini sudah dihapus; nilai lama tidak bisa dipulihkan.",
                                "This person's personal data were erased; an old value cannot be restored."),
    "conflicts.row_gone": ("Data yang berkonflik sudah tidak ada di server.", "The row in conflict is no longer on the server."),
    "conflicts.changed": ("Nilainya berubah sejak ditampilkan; muat ulang daftar konflik lalu putuskan lagi.",
                          "The value changed since it was shown; reload the list of conflicts and decide again."),
    "conflicts.change_unknown": ("Perubahan dengan nilai yang dipilih belum sampai ke server; sinkronkan dulu lalu coba lagi.",
                                 "The edit with the chosen value has not reached the server; sync first, then try again."),
    "conflicts.change_mismatch": ("Server tidak menerima perubahan ini sebagai keputusan konflik (nilai itu sudah diubah lagi dengan jam yang lebih baru); muat ulang daftar konflik.",
                                  "The server does not accept this edit as the decision (the value was changed again with a later clock); reload the list of conflicts."),
    "conflicts.not_editable": ("Nilai lain untuk isian ini tidak bisa dipakai dari laptop; pilih pertahankan nilai sekarang, atau ubah datanya langsung.",
                               "The other value of this field cannot be applied from a laptop; keep the current value, or edit the data directly."),
    "conflicts.person_missing": ("Peserta ini belum ada di laptop ini; sinkronkan dulu lalu coba lagi.",
                                 "This person is not on this laptop yet; sync first, then try again."),
    "conflicts.pending_other": ("Keputusan lain untuk konflik ini sedang menunggu dikirim ke server; sinkronkan dulu.",
                                "Another decision on this conflict is waiting to reach the server; sync first."),
    "conflicts.waiting": ("Keputusan untuk konflik {id} tersimpan di laptop ini tetapi belum sampai ke server ({reason}); dikirim otomatis pada sinkronisasi berikutnya, atau dengan: bpjs-field conflicts",
                          "The decision on conflict {id} is saved on this laptop but has not reached the server ({reason}); it is sent at the next sync, or with: bpjs-field conflicts"),
    "conflicts.decided": ("Konflik {id} diputuskan ({choice}); {count} konflik pada isian yang sama selesai.",
                          "Conflict {id} decided ({choice}); {count} conflict(s) of the same field settled."),
    "conflicts.refused": ("Keputusan untuk konflik {id} tidak dicatat server: {reason}",
                          "The server did not record the decision on conflict {id}: {reason}"),
    "conflicts.still_waiting": ("{count} keputusan masih menunggu sinkronisasi.", "{count} decision(s) still waiting for a sync."),
    # ---- end of conflicts block ----
    # ---- security block (laptop login, encryption, roles) ----
    "security.wrong_key": ("Basis data tidak bisa dibuka dengan kunci ini: kata sandi salah atau berkas bukan milik laptop ini.",
                           "The database cannot be opened with this key: wrong password, or the file belongs to another laptop."),
    "security.no_cipher": ("Modul enkripsi (sqlcipher3) tidak terpasang; pasang ulang aplikasi.",
                           "The encryption module (sqlcipher3) is missing; reinstall the application."),
    "security.needs_login": ("Basis data ini terenkripsi: masuk dengan nomor pegawai dan kata sandi.",
                             "This database is encrypted: log in with your employee number and password."),
    "security.keys_busy": ("Berkas kunci sedang dipakai proses lain terlalu lama; coba lagi sebentar lagi.",
                           "The key file is held by another process for too long; try again in a moment."),
    "security.bad_login": ("Nomor pegawai atau kata sandi salah.", "Wrong employee number or password."),
    "security.locked_out": ("Terlalu banyak percobaan gagal. Coba lagi dalam {seconds} detik.",
                            "Too many failed attempts. Try again in {seconds} seconds."),
    "security.password_short": ("Kata sandi minimal {minimum} karakter.", "The password needs at least {minimum} characters."),
    "security.password_common": ("Kata sandi ini terlalu umum dan mudah ditebak (termasuk kata seperti 'rahasia' atau 'bismillah' dengan angka). Pakai beberapa kata yang tidak biasa, misalnya senam-pagi-karangasih.",
                                 "This password is too common and easy to guess (words like 'rahasia' or 'password' with digits count too). Use a few unusual words, e.g. senam-pagi-karangasih."),
    "security.password_simple": ("Kata sandi terlalu sederhana: pakai sedikitnya {minimum} karakter berbeda, bukan urutan seperti 123456789012.",
                                 "The password is too simple: use at least {minimum} different characters, not a run such as 123456789012."),
    "security.password_mismatch": ("Kedua kata sandi tidak sama.", "The two passwords differ."),
    "security.account_exists": ("Akun {employee_no} sudah ada di laptop ini.", "Account {employee_no} already exists on this laptop."),
    "security.account_unknown": ("Akun {employee_no} tidak ada di laptop ini.", "Account {employee_no} is not on this laptop."),
    "security.keys_damaged": ("Berkas kunci {path} rusak atau telah diubah; pulihkan dari cadangan (salin berkas .keys.json yang tersimpan di samping cadangan basis data).",
                              "The key file {path} is damaged or was altered; restore it from a backup (copy the .keys.json file kept beside the database backup)."),
    "security.already_encrypted": ("Basis data ini sudah terenkripsi.", "This database is already encrypted."),
    "security.forbidden": ("Hanya supervisor yang boleh melakukan ini ({action}).", "Only a supervisor may do this ({action})."),
    "security.password_stdin": ("Kata sandi tidak terbaca: ketik di terminal atau kirim lewat --password-stdin.",
                                "No password read: type it at the terminal or pass it with --password-stdin."),
    # ---- end of security block ----
}


def _printable(value: Any) -> Any:
    """Values typed by someone else (file names, cells) never bring control characters into a message."""
    if isinstance(value, str):
        return "".join(ch if ch.isprintable() else "?" for ch in value)
    return value


def _decorate(params: dict[str, Any]) -> dict[str, Any]:
    out = {key: _printable(value) for key, value in params.items()}
    for key in ("minimum", "value"):
        if isinstance(params.get(key), int) and not isinstance(params.get(key), bool):
            out[f"{key}_rp"] = format_rupiah(params[key])
    return out


def render(code: str, lang: str = "id", /, **params: Any) -> str:
    pair = CATALOGUE.get(code)
    if pair is None:
        return code
    template = pair[1] if lang == "en" else pair[0]
    try:
        return template.format(**_decorate(params))
    except (KeyError, IndexError, ValueError):
        return template


@dataclass(frozen=True)
class Notice:
    """A warning that does not block: a code with its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return render(self.code, lang, **self.params)
