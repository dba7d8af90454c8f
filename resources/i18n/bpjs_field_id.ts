<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AccountsPage</name>
    <message>
        <source>Accounts</source>
        <translation>Akun</translation>
    </message>
    <message>
        <source>Accounts on this laptop</source>
        <translation>Akun di laptop ini</translation>
    </message>
    <message>
        <source>Employee number</source>
        <translation>Nomor pegawai</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Terkunci</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Add an officer</source>
        <translation>Tambah petugas</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Branch: the account comes from the branch server and uses the branch password; the laptop follows the branch&apos;s changes at each sync. Laptop: made on this laptop.</source>
        <translation>Cabang: akun berasal dari server cabang dan memakai kata sandi cabang; laptop mengikuti perubahan dari cabang setiap sinkronisasi. Laptop: dibuat di laptop ini.</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Ulangi kata sandi</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Tambah</translation>
    </message>
    <message>
        <source>New password for the selected account</source>
        <translation>Kata sandi baru untuk akun yang dipilih</translation>
    </message>
    <message>
        <source>Set new password</source>
        <translation>Pasang kata sandi baru</translation>
    </message>
    <message>
        <source>Branch</source>
        <translation>Cabang</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>Laptop</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} detik</translation>
    </message>
    <message>
        <source>Account {number} added.</source>
        <translation>Akun {number} ditambahkan.</translation>
    </message>
    <message>
        <source>Choose an account in the list first.</source>
        <translation>Pilih akun di daftar lebih dulu.</translation>
    </message>
    <message>
        <source>New password set for {number}.</source>
        <translation>Kata sandi baru dipasang untuk {number}.</translation>
    </message>
</context>
<context>
    <name>AfterSaveBox</name>
    <message>
        <source>Receipt right after each registration</source>
        <translation>Tanda terima langsung setelah setiap pendaftaran</translation>
    </message>
    <message>
        <source>Print the receipt right after each registration</source>
        <translation>Cetak tanda terima langsung setelah setiap pendaftaran</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>Struk 80 mm</translation>
    </message>
    <message>
        <source>58 mm roll</source>
        <translation>Struk 58 mm</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Find printers again</source>
        <translation>Cari printer lagi</translation>
    </message>
    <message>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <source>The system&apos;s default printer ({name})</source>
        <translation>Printer bawaan sistem ({name})</translation>
    </message>
    <message>
        <source>The system&apos;s default printer</source>
        <translation>Printer bawaan sistem</translation>
    </message>
    <message>
        <source>{name} (not found now)</source>
        <translation>{name} (sekarang tidak ditemukan)</translation>
    </message>
</context>
<context>
    <name>AuditPage</name>
    <message>
        <source>Audit log</source>
        <translation>Log audit</translation>
    </message>
    <message>
        <source>Id or code in the details</source>
        <translation>Id atau kode dalam rincian</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Semua</translation>
    </message>
    <message>
        <source>{n} entries</source>
        <translation>{n} entri</translation>
    </message>
</context>
<context>
    <name>AuditTexts</name>
    <message>
        <source>Account made</source>
        <translation>Akun dibuat</translation>
    </message>
    <message>
        <source>Laptop account kept</source>
        <translation>Akun laptop dipertahankan</translation>
    </message>
    <message>
        <source>Account received from the branch</source>
        <translation>Akun diterima dari cabang</translation>
    </message>
    <message>
        <source>Account removed</source>
        <translation>Akun dihapus</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>Kehadiran</translation>
    </message>
    <message>
        <source>Check-in taken back</source>
        <translation>Kehadiran dibatalkan</translation>
    </message>
    <message>
        <source>Sync conflict decided</source>
        <translation>Konflik sinkronisasi diputuskan</translation>
    </message>
    <message>
        <source>Full values of a conflict shown</source>
        <translation>Nilai lengkap konflik ditampilkan</translation>
    </message>
    <message>
        <source>Sample data added (training)</source>
        <translation>Data contoh ditambahkan (latihan)</translation>
    </message>
    <message>
        <source>Action refused (role)</source>
        <translation>Tindakan ditolak (peran)</translation>
    </message>
    <message>
        <source>Laptop revoked: personal data wiped</source>
        <translation>Laptop dicabut: data pribadi dihapus</translation>
    </message>
    <message>
        <source>Event made</source>
        <translation>Acara dibuat</translation>
    </message>
    <message>
        <source>Event changed</source>
        <translation>Acara diubah</translation>
    </message>
    <message>
        <source>Hand-carried export written</source>
        <translation>Ekspor bawa tangan ditulis</translation>
    </message>
    <message>
        <source>Hand-carried export read in</source>
        <translation>Ekspor bawa tangan dibaca</translation>
    </message>
    <message>
        <source>Registrations imported from a file</source>
        <translation>Pendaftaran diimpor dari berkas</translation>
    </message>
    <message>
        <source>Screen locked</source>
        <translation>Layar dikunci</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Failed login</source>
        <translation>Gagal masuk</translation>
    </message>
    <message>
        <source>Officer added</source>
        <translation>Petugas ditambahkan</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Kata sandi diganti</translation>
    </message>
    <message>
        <source>New password set</source>
        <translation>Kata sandi baru dipasang</translation>
    </message>
    <message>
        <source>Participant added</source>
        <translation>Peserta ditambahkan</translation>
    </message>
    <message>
        <source>Participant changed</source>
        <translation>Data peserta diubah</translation>
    </message>
    <message>
        <source>Personal data erased</source>
        <translation>Data pribadi dihapus</translation>
    </message>
    <message>
        <source>Full NIK shown</source>
        <translation>NIK lengkap ditampilkan</translation>
    </message>
    <message>
        <source>Full personal data shown</source>
        <translation>Data pribadi lengkap ditampilkan</translation>
    </message>
    <message>
        <source>Printed</source>
        <translation>Dicetak</translation>
    </message>
    <message>
        <source>Rates and notice updated</source>
        <translation>Tarif dan pemberitahuan diperbarui</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>Pendaftaran</translation>
    </message>
    <message>
        <source>Role changed</source>
        <translation>Peran diubah</translation>
    </message>
    <message>
        <source>Role given</source>
        <translation>Peran diberikan</translation>
    </message>
    <message>
        <source>Synced</source>
        <translation>Tersinkron</translation>
    </message>
    <message>
        <source>Laptop enrolled at the branch</source>
        <translation>Laptop didaftarkan di cabang</translation>
    </message>
    <message>
        <source>Edits merged at sync</source>
        <translation>Perubahan digabung saat sinkronisasi</translation>
    </message>
    <message>
        <source>Change refused by the server</source>
        <translation>Perubahan ditolak server</translation>
    </message>
    <message>
        <source>Refused changes sent again</source>
        <translation>Perubahan yang ditolak dikirim ulang</translation>
    </message>
    <message>
        <source>Screen unlocked</source>
        <translation>Kunci layar dibuka</translation>
    </message>
    <message>
        <source>Failed unlock</source>
        <translation>Gagal membuka kunci</translation>
    </message>
    <message>
        <source>attempt</source>
        <translation>percobaan</translation>
    </message>
    <message>
        <source>code</source>
        <translation>kode</translation>
    </message>
    <message>
        <source>attempted</source>
        <translation>dicoba</translation>
    </message>
    <message>
        <source>copies printed</source>
        <translation>jumlah dicetak</translation>
    </message>
    <message>
        <source>count</source>
        <translation>jumlah</translation>
    </message>
    <message>
        <source>document</source>
        <translation>dokumen</translation>
    </message>
    <message>
        <source>employee number</source>
        <translation>nomor pegawai</translation>
    </message>
    <message>
        <source>event</source>
        <translation>acara</translation>
    </message>
    <message>
        <source>fields</source>
        <translation>isian</translation>
    </message>
    <message>
        <source>into</source>
        <translation>ke</translation>
    </message>
    <message>
        <source>copy (SALINAN)</source>
        <translation>salinan (SALINAN)</translation>
    </message>
    <message>
        <source>account locked</source>
        <translation>akun terkunci</translation>
    </message>
    <message>
        <source>how</source>
        <translation>cara</translation>
    </message>
    <message>
        <source>new</source>
        <translation>baru</translation>
    </message>
    <message>
        <source>before</source>
        <translation>sebelumnya</translation>
    </message>
    <message>
        <source>participants</source>
        <translation>peserta</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>diantrekan</translation>
    </message>
    <message>
        <source>reason</source>
        <translation>alasan</translation>
    </message>
    <message>
        <source>role</source>
        <translation>peran</translation>
    </message>
    <message>
        <source>number</source>
        <translation>nomor</translation>
    </message>
    <message>
        <source>status</source>
        <translation>status</translation>
    </message>
    <message>
        <source>for</source>
        <translation>untuk</translation>
    </message>
    <message>
        <source>laptop tag</source>
        <translation>tanda laptop</translation>
    </message>
    <message>
        <source>version</source>
        <translation>versi</translation>
    </message>
    <message>
        <source>wiped</source>
        <translation>dihapus</translation>
    </message>
    <message>
        <source>consent withdrawn</source>
        <translation>persetujuan ditarik</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ya</translation>
    </message>
    <message>
        <source>no</source>
        <translation>tidak</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>officer</source>
        <translation>petugas</translation>
    </message>
    <message>
        <source>first start</source>
        <translation>mulai pertama</translation>
    </message>
    <message>
        <source>scanned</source>
        <translation>dipindai</translation>
    </message>
    <message>
        <source>searched</source>
        <translation>dicari</translation>
    </message>
</context>
<context>
    <name>BackupBox</name>
    <message>
        <source>Backups</source>
        <translation>Cadangan</translation>
    </message>
    <message>
        <source>Back up now</source>
        <translation>Buat cadangan sekarang</translation>
    </message>
    <message>
        <source>Backups kept</source>
        <translation>Jumlah cadangan disimpan</translation>
    </message>
    <message>
        <source>Restore…</source>
        <translation>Pulihkan…</translation>
    </message>
    <message>
        <source>Latest backup: {when}</source>
        <translation>Cadangan terakhir: {when}</translation>
    </message>
    <message>
        <source>No backup yet.</source>
        <translation>Belum ada cadangan.</translation>
    </message>
    <message>
        <source>Making a backup; you can keep working meanwhile.</source>
        <translation>Sedang membuat cadangan; Anda dapat tetap bekerja.</translation>
    </message>
    <message>
        <source>Restore backup</source>
        <translation>Pulihkan cadangan</translation>
    </message>
    <message>
        <source>Replace the database with the backup of {when}? The current database is kept aside first, so nothing is deleted.</source>
        <translation>Ganti basis data dengan cadangan {when}? Basis data sekarang disimpan terpisah lebih dulu, jadi tidak ada yang terhapus.</translation>
    </message>
</context>
<context>
    <name>CheckInPage</name>
    <message>
        <source>Check-in</source>
        <translation>Kehadiran</translation>
    </message>
    <message>
        <source>Scan the code, or type a name or NIK and press Enter</source>
        <translation>Pindai kode, atau ketik nama atau NIK lalu tekan Enter</translation>
    </message>
    <message>
        <source>Undo last check-in (Ctrl+Z)</source>
        <translation>Batalkan kehadiran terakhir (Ctrl+Z)</translation>
    </message>
    <message>
        <source>Search results: Up/Down to choose, Enter to check in</source>
        <translation>Hasil pencarian: Atas/Bawah untuk memilih, Enter untuk mencatat hadir</translation>
    </message>
    <message>
        <source>Not registered yet? Register this person (F2)</source>
        <translation>Belum terdaftar? Daftarkan orang ini (F2)</translation>
    </message>
    <message>
        <source>Choose the active event first (page Events).</source>
        <translation>Pilih acara aktif dulu (halaman Acara).</translation>
    </message>
    <message>
        <source>The code&apos;s check symbol does not match: scan it again, or type it carefully from the receipt.</source>
        <translation>Simbol pemeriksa kode tidak cocok: pindai lagi, atau ketik dengan teliti dari tanda terima.</translation>
    </message>
    <message>
        <source>Joined the event hub</source>
        <translation>Bergabung ke hub acara</translation>
    </message>
    <message>
        <source>CHECKED IN</source>
        <translation>HADIR</translation>
    </message>
    <message>
        <source>ALREADY CHECKED IN</source>
        <translation>SUDAH HADIR</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>sejak {time}</translation>
    </message>
    <message>
        <source>UNKNOWN CODE</source>
        <translation>KODE TIDAK DIKENAL</translation>
    </message>
    <message>
        <source>Search by name or NIK, or register the person.</source>
        <translation>Cari dengan nama atau NIK, atau daftarkan orangnya.</translation>
    </message>
    <message>
        <source>{count} found for “{text}”. Choose the person and press Enter.</source>
        <translation>{count} ditemukan untuk “{text}”. Pilih orangnya lalu tekan Enter.</translation>
    </message>
    <message>
        <source>Nobody found for “{text}”. Press F2 to register this person.</source>
        <translation>Tidak ada yang ditemukan untuk “{text}”. Tekan F2 untuk mendaftarkan orang ini.</translation>
    </message>
    <message>
        <source>Your scan of {name} is taken back. Another desk checked {name} in too, so {name} stays checked in.</source>
        <translation>Pindaian Anda atas {name} dibatalkan. Meja lain juga mencatat kehadiran {name}, jadi {name} tetap hadir.</translation>
    </message>
    <message>
        <source>Last check-in taken back.</source>
        <translation>Kehadiran terakhir dibatalkan.</translation>
    </message>
    <message>
        <source>Nothing to take back: that check-in is no longer on this laptop.</source>
        <translation>Tidak ada yang dibatalkan: kehadiran itu sudah tidak ada di laptop ini.</translation>
    </message>
    <message>
        <source>No active event</source>
        <translation>Belum ada acara aktif</translation>
    </message>
    <message>
        <source>Present: {count} of {target}</source>
        <translation>Hadir: {count} dari {target}</translation>
    </message>
    <message>
        <source>Present: {count}</source>
        <translation>Hadir: {count}</translation>
    </message>
    <message>
        <source>Last check-ins, newest first</source>
        <translation>Kehadiran terakhir, terbaru di atas</translation>
    </message>
    <message>
        <source>Nobody has checked in at this event yet.</source>
        <translation>Belum ada yang hadir di acara ini.</translation>
    </message>
</context>
<context>
    <name>ConflictsPanel</name>
    <message>
        <source>Person</source>
        <translation>Peserta</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Isian</translation>
    </message>
    <message>
        <source>Current value</source>
        <translation>Nilai sekarang</translation>
    </message>
    <message>
        <source>Other value</source>
        <translation>Nilai lain</translation>
    </message>
    <message>
        <source>Laptops (current / other)</source>
        <translation>Laptop (sekarang / lain)</translation>
    </message>
    <message>
        <source>Found</source>
        <translation>Ditemukan</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>Nomor HP</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>Birth date</source>
        <translation>Tanggal lahir</translation>
    </message>
    <message>
        <source>Birth place</source>
        <translation>Tempat lahir</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>Pekerjaan</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>KITAS/KITAP</source>
        <translation>KITAS/KITAP</translation>
    </message>
    <message>
        <source>(not on this laptop yet)</source>
        <translation>(belum ada di laptop ini)</translation>
    </message>
    <message>
        <source>Current value from %1, typed %2</source>
        <translation>Nilai sekarang dari %1, diketik %2</translation>
    </message>
    <message>
        <source>Other value from %1, typed %2</source>
        <translation>Nilai lain dari %1, diketik %2</translation>
    </message>
    <message>
        <source>Decided here; sent at the next sync.</source>
        <translation>Diputuskan di sini; dikirim pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>Conflicts to decide</source>
        <translation>Konflik yang perlu diputuskan</translation>
    </message>
    <message>
        <source>&amp;Keep current value</source>
        <translation>&amp;Pertahankan nilai sekarang</translation>
    </message>
    <message>
        <source>&amp;Use other value</source>
        <translation>Pakai &amp;nilai lain</translation>
    </message>
    <message>
        <source>Show &amp;full values</source>
        <translation>Tampilkan nilai &amp;lengkap</translation>
    </message>
    <message>
        <source>Phone numbers, e-mail and KITAS are masked; showing them is recorded in the audit log.</source>
        <translation>Nomor HP, email dan KITAS disamarkan; menampilkannya tercatat di log audit.</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <source>Reading the conflicts from the branch server…</source>
        <translation>Membaca konflik dari server cabang…</translation>
    </message>
    <message>
        <source>%1 conflict(s) waiting for a decision.</source>
        <translation>%1 konflik menunggu keputusan.</translation>
    </message>
    <message>
        <source>No conflicts are waiting for a decision.</source>
        <translation>Tidak ada konflik yang menunggu keputusan.</translation>
    </message>
    <message>
        <source>The server did not record the decision on conflict %1: %2</source>
        <translation>Server tidak mencatat keputusan untuk konflik %1: %2</translation>
    </message>
    <message>
        <source>Decision recorded; %1 conflict(s) settled.</source>
        <translation>Keputusan dicatat; %1 konflik selesai.</translation>
    </message>
    <message>
        <source>%1 decision(s) waiting for the next sync.</source>
        <translation>%1 keputusan menunggu sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>Keep the current value of %1 for %2 (%3)? Nothing is changed on the laptops.</source>
        <translation>Pertahankan nilai sekarang untuk %1 milik %2 (%3)? Tidak ada yang berubah di laptop.</translation>
    </message>
    <message>
        <source>Use the other value of %1 for %2 (%3)? The person is edited on this laptop and every laptop gets the value at its next sync.</source>
        <translation>Pakai nilai lain untuk %1 milik %2 (%3)? Data peserta diubah di laptop ini dan setiap laptop menerima nilai itu pada sinkronisasi berikutnya.</translation>
    </message>
    <message>
        <source>%1 conflicts of this field are settled together.</source>
        <translation>%1 konflik pada isian ini diselesaikan sekaligus.</translation>
    </message>
    <message>
        <source>Saved on this laptop; sending it to the server…</source>
        <translation>Tersimpan di laptop ini; sedang dikirim ke server…</translation>
    </message>
</context>
<context>
    <name>ContributionPanel</name>
    <message>
        <source>Monthly contribution</source>
        <translation>Iuran per bulan</translation>
    </message>
    <message>
        <source>Fill in income or wage to see the contribution.</source>
        <translation>Isi penghasilan atau upah untuk melihat iuran.</translation>
    </message>
    <message>
        <source>employer</source>
        <translation>pemberi kerja</translation>
    </message>
    <message>
        <source>worker</source>
        <translation>pekerja</translation>
    </message>
    <message>
        <source>Total for {month}: {amount}</source>
        <translation>Total untuk {month}: {amount}</translation>
    </message>
    <message>
        <source>Total per month: {amount}</source>
        <translation>Total per bulan: {amount}</translation>
    </message>
    <message>
        <source>Discount {basis}: {amount} off JKK and JKM.</source>
        <translation>Diskon {basis}: potongan {amount} untuk JKK dan JKM.</translation>
    </message>
    <message>
        <source>Employer pays {employer}, worker pays {worker}.</source>
        <translation>Pemberi kerja membayar {employer}, pekerja membayar {worker}.</translation>
    </message>
    <message>
        <source>To pay now for {months} months ({span}): {amount}.</source>
        <translation>Dibayar sekarang untuk {months} bulan ({span}): {amount}.</translation>
    </message>
    <message>
        <source>Month by month: {runs}.</source>
        <translation>Per bulan: {runs}.</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Information</source>
        <translation>Informasi</translation>
    </message>
    <message>
        <source>Cannot continue</source>
        <translation>Tidak dapat dilanjutkan</translation>
    </message>
    <message>
        <source>Unexpected error</source>
        <translation>Kesalahan tak terduga</translation>
    </message>
    <message>
        <source>Something went wrong in the application. Your saved data is safe. Please report this to the branch IT officer; details are in the log file.</source>
        <translation>Terjadi kesalahan di aplikasi. Data yang sudah tersimpan aman. Laporkan ke petugas TI kantor cabang; rinciannya ada di berkas log.</translation>
    </message>
    <message>
        <source>Please confirm</source>
        <translation>Mohon konfirmasi</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ya</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Tidak</translation>
    </message>
    <message>
        <source>The application hit an error it did not expect. Data already saved is safe, and the form being typed was kept as a draft.

What to do: close this message and carry on; if the error comes back, close the application and open it again. If it still happens, send the log file to the branch IT team (it holds no personal data):
{path}</source>
        <translation>Aplikasi mengalami kesalahan yang tidak terduga. Data yang sudah tersimpan aman, dan formulir yang sedang diketik disimpan sebagai draf.

Yang perlu dilakukan: tutup pesan ini dan lanjutkan bekerja; jika kesalahan muncul lagi, tutup aplikasi lalu buka kembali. Jika masih terjadi, kirim berkas log ke tim TI cabang (berkas ini tidak berisi data pribadi):
{path}</translation>
    </message>
</context>
<context>
    <name>EventsModel</name>
    <message>
        <source>Event</source>
        <translation>Acara</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Tanggal</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
</context>
<context>
    <name>EventsPage</name>
    <message>
        <source>Events</source>
        <translation>Acara</translation>
    </message>
    <message>
        <source>New event (Ctrl+N)</source>
        <translation>Acara baru (Ctrl+N)</translation>
    </message>
    <message>
        <source>Make this the active event (Ctrl+J)</source>
        <translation>Jadikan acara aktif (Ctrl+J)</translation>
    </message>
    <message>
        <source>Kind of event</source>
        <translation>Jenis acara</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Judul</translation>
    </message>
    <message>
        <source>Starts (WIB)</source>
        <translation>Mulai (WIB)</translation>
    </message>
    <message>
        <source>Ends (WIB)</source>
        <translation>Selesai (WIB)</translation>
    </message>
    <message>
        <source>Venue</source>
        <translation>Tempat</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Partner organisation</source>
        <translation>Organisasi mitra</translation>
    </message>
    <message>
        <source>Targets</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Kehadiran</translation>
    </message>
    <message>
        <source>Save event (Ctrl+S)</source>
        <translation>Simpan acara (Ctrl+S)</translation>
    </message>
    <message>
        <source>New event</source>
        <translation>Acara baru</translation>
    </message>
    <message>
        <source>Edit event</source>
        <translation>Ubah acara</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Waktu selesai harus sesudah waktu mulai.</translation>
    </message>
</context>
<context>
    <name>Extensions</name>
    <message>
        <source>Print</source>
        <translation>Cetak</translation>
    </message>
    <message>
        <source>This is the training database (LATIHAN): its sample data are never synced to the branch server. Set the laptop up for real work to sync.</source>
        <translation>Ini basis data latihan (LATIHAN): data contohnya tidak pernah disinkronkan ke server kantor cabang. Siapkan laptop untuk kerja sungguhan agar bisa sinkron.</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Sinkronisasi</translation>
    </message>
    <message>
        <source>The report is for supervisors; ask a supervisor of the branch.</source>
        <translation>Laporan untuk supervisor; minta kepada supervisor cabang.</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Laporan</translation>
    </message>
</context>
<context>
    <name>FollowupDialog</name>
    <message>
        <source>Follow-up after the event</source>
        <translation>Tindak lanjut setelah acara</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>Pendaftaran</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>KPJ number</source>
        <translation>Nomor KPJ</translation>
    </message>
    <message>
        <source>Payment code</source>
        <translation>Kode bayar</translation>
    </message>
    <message>
        <source>Date (DD-MM-YYYY)</source>
        <translation>Tanggal (HH-BB-TTTT)</translation>
    </message>
    <message>
        <source>Months paid</source>
        <translation>Bulan dibayar</translation>
    </message>
    <message>
        <source>Reason for stopping</source>
        <translation>Alasan berhenti</translation>
    </message>
    <message>
        <source>Scanned from the card: {number}. Check it, then save (Ctrl+S).</source>
        <translation>Terpindai dari kartu: {number}. Periksa, lalu simpan (Ctrl+S).</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Active event</source>
        <translation>Acara aktif</translation>
    </message>
    <message>
        <source>Choose event</source>
        <translation>Pilih acara</translation>
    </message>
    <message>
        <source>Attendance (whole event)</source>
        <translation>Kehadiran (seluruh acara)</translation>
    </message>
    <message>
        <source>Register a participant (Ctrl+2)</source>
        <translation>Daftarkan peserta (Ctrl+2)</translation>
    </message>
    <message>
        <source>Check people in (Ctrl+3)</source>
        <translation>Catat kehadiran (Ctrl+3)</translation>
    </message>
    <message>
        <source>Welcome, {name} · {branch}</source>
        <translation>Selamat datang, {name} · {branch}</translation>
    </message>
    <message>
        <source>Welcome</source>
        <translation>Selamat datang</translation>
    </message>
    <message>
        <source>Registrations today, {date}</source>
        <translation>Pendaftaran hari ini, {date}</translation>
    </message>
    <message>
        <source>No active event. Choose one on the Events page so that registrations and check-ins are counted for it.</source>
        <translation>Belum ada acara aktif. Pilih acara di halaman Acara agar pendaftaran dan kehadiran dihitung untuk acara itu.</translation>
    </message>
    <message>
        <source>with {partner}</source>
        <translation>bersama {partner}</translation>
    </message>
    <message>
        <source>{count} changes are waiting to be synced to the branch server.</source>
        <translation>{count} perubahan menunggu dikirim ke server kantor cabang.</translation>
    </message>
    <message>
        <source>Training database: nothing here is sent to the branch server.</source>
        <translation>Basis data latihan: tidak ada yang dikirim ke server kantor cabang.</translation>
    </message>
    <message>
        <source>Everything is synced.</source>
        <translation>Semua data sudah tersinkron.</translation>
    </message>
    <message>
        <source>{count} participants in this laptop&apos;s database.</source>
        <translation>{count} peserta di basis data laptop ini.</translation>
    </message>
</context>
<context>
    <name>HubBox</name>
    <message>
        <source>Event hub (laptops at one event, without internet)</source>
        <translation>Hub acara (laptop-laptop di satu acara, tanpa internet)</translation>
    </message>
    <message>
        <source>This laptop&apos;s address on the event&apos;s network (router or hotspot). The hub serves on this address only.</source>
        <translation>Alamat laptop ini di jaringan acara (router atau hotspot). Hub hanya melayani di alamat ini.</translation>
    </message>
    <message>
        <source>Make this laptop the event hub</source>
        <translation>Jadikan hub acara</translation>
    </message>
    <message>
        <source>Stop the hub</source>
        <translation>Hentikan hub</translation>
    </message>
    <message>
        <source>Laptop</source>
        <translation>Laptop</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>Kontak terakhir</translation>
    </message>
    <message>
        <source>Own, not at branch</source>
        <translation>Milik sendiri, belum di cabang</translation>
    </message>
    <message>
        <source>Carried for others</source>
        <translation>Dibawa untuk laptop lain</translation>
    </message>
    <message>
        <source>Passed on by hub</source>
        <translation>Diteruskan hub</translation>
    </message>
    <message>
        <source>Changes made on this laptop that the branch has not received yet.</source>
        <translation>Perubahan yang dibuat di laptop ini dan belum diterima cabang.</translation>
    </message>
    <message>
        <source>Changes made on other laptops that this laptop holds too: whichever laptop reaches the branch first delivers them, once.</source>
        <translation>Perubahan dari laptop lain yang juga disimpan laptop ini: laptop mana pun yang pertama terhubung ke cabang mengirimkannya, satu kali.</translation>
    </message>
    <message>
        <source>Changes made on this laptop that the hub passed on to the other laptops.</source>
        <translation>Perubahan dari laptop ini yang diteruskan hub ke laptop lain.</translation>
    </message>
    <message>
        <source>Join code from the hub&apos;s screen, or scan its QR</source>
        <translation>Kode gabung dari layar hub, atau pindai QR-nya</translation>
    </message>
    <message>
        <source>Join the hub</source>
        <translation>Gabung ke hub</translation>
    </message>
    <message>
        <source>Find hubs on this network</source>
        <translation>Cari hub di jaringan ini</translation>
    </message>
    <message>
        <source>Address:</source>
        <translation>Alamat:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Join code (type it on the other laptops, or scan the QR):</source>
        <translation>Kode gabung (ketik di laptop lain, atau pindai QR):</translation>
    </message>
    <message>
        <source>Be the hub:</source>
        <translation>Menjadi hub:</translation>
    </message>
    <message>
        <source>Join a hub:</source>
        <translation>Gabung ke hub:</translation>
    </message>
    <message>
        <source>Hub link:</source>
        <translation>Sambungan hub:</translation>
    </message>
    <message>
        <source>Looking for hubs…</source>
        <translation>Mencari hub…</translation>
    </message>
    <message>
        <source>No hub found on this network. Type the code shown on the hub&apos;s screen.</source>
        <translation>Tidak ada hub ditemukan di jaringan ini. Ketik kode yang tampil di layar hub.</translation>
    </message>
    <message>
        <source>%1 (officer %2) at %3: type the code shown on its screen, or scan its QR.</source>
        <translation>%1 (petugas %2) di %3: ketik kode di layarnya, atau pindai QR-nya.</translation>
    </message>
    <message>
        <source>The app was restarted: this laptop is the event hub again, with the same join code. The joined laptops carry on by themselves.</source>
        <translation>Aplikasi dibuka ulang: laptop ini kembali menjadi hub acara dengan kode gabung yang sama. Laptop yang sudah bergabung tersambung lagi dengan sendirinya.</translation>
    </message>
    <message>
        <source>The app was restarted: this laptop joined its hub again by itself.</source>
        <translation>Aplikasi dibuka ulang: laptop ini bergabung lagi ke hubnya dengan sendirinya.</translation>
    </message>
    <message>
        <source>This laptop was the event hub at %1 but cannot serve there again: %2 Pick the address and make it the hub again.</source>
        <translation>Laptop ini tadinya hub acara di %1 tetapi tidak dapat melayani di sana lagi: %2 Pilih alamatnya lalu jadikan hub lagi.</translation>
    </message>
    <message>
        <source>not joined</source>
        <translation>belum bergabung</translation>
    </message>
    <message>
        <source>%1: no contact with the hub (%2). Work goes on; nothing is lost.</source>
        <translation>%1: tidak ada kontak dengan hub (%2). Pekerjaan tetap jalan; tidak ada yang hilang.</translation>
    </message>
    <message>
        <source>%1, last contact %2</source>
        <translation>%1, kontak terakhir %2</translation>
    </message>
    <message>
        <source>%1: %2 registered, %3 checked in</source>
        <translation>%1: %2 terdaftar, %3 hadir</translation>
    </message>
    <message>
        <source> (target %1)</source>
        <translation> (target %1)</translation>
    </message>
    <message>
        <source>Changes of the event not yet at the branch: %1 (each counted once, at the laptop that made it)</source>
        <translation>Perubahan acara yang belum sampai di cabang: %1 (masing-masing dihitung sekali, di laptop yang membuatnya)</translation>
    </message>
    <message>
        <source>Duplicate NIKs merged at the hub: %1</source>
        <translation>NIK ganda yang digabung di hub: %1</translation>
    </message>
</context>
<context>
    <name>IdleLockBox</name>
    <message>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <source>never</source>
        <translation>tidak pernah</translation>
    </message>
    <message>
        <source>Minutes without keyboard, scanner or mouse before the screen locks; 0 = never</source>
        <translation>Menit tanpa keyboard, pemindai atau mouse sebelum layar terkunci; 0 = tidak pernah</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>Locked</source>
        <translation>Terkunci</translation>
    </message>
    <message>
        <source>{name} ({number}) is working on this laptop. Enter the password to continue; nothing you were doing is lost.</source>
        <translation>{name} ({number}) sedang bekerja di laptop ini. Masukkan kata sandi untuk melanjutkan; pekerjaan Anda tidak hilang.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Buka kunci</translation>
    </message>
    <message>
        <source>Screen locked: log in first, then scan again.</source>
        <translation>Layar terkunci: masuk dulu, lalu pindai lagi.</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>Memeriksa kata sandi…</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Kunci</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>BPJS Field: log in</source>
        <translation>BPJS Field: masuk</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>The data on this laptop are encrypted. Enter your employee number and password to open them.</source>
        <translation>Data di laptop ini terenkripsi. Masukkan nomor pegawai dan kata sandi Anda untuk membukanya.</translation>
    </message>
    <message>
        <source>Employee number</source>
        <translation>Nomor pegawai</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Forgot your password? A supervisor of this laptop can set a new one.</source>
        <translation>Lupa kata sandi? Supervisor laptop ini dapat membuatkan kata sandi baru.</translation>
    </message>
    <message>
        <source>BPJS Field: training (LATIHAN)</source>
        <translation>BPJS Field: latihan (LATIHAN)</translation>
    </message>
    <message>
        <source>Set up this laptop for real work…</source>
        <translation>Siapkan laptop ini untuk kerja sungguhan…</translation>
    </message>
    <message>
        <source>Enter your employee number.</source>
        <translation>Masukkan nomor pegawai Anda.</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>Memeriksa kata sandi…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>BPJS Ketenagakerjaan · Field registration</source>
        <translation>BPJS Ketenagakerjaan · Pendaftaran lapangan</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Beranda</translation>
    </message>
    <message>
        <source>Registration</source>
        <translation>Pendaftaran</translation>
    </message>
    <message>
        <source>Check-in</source>
        <translation>Kehadiran</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>Peserta</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Acara</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Active event: {title}</source>
        <translation>Acara aktif: {title}</translation>
    </message>
    <message>
        <source>No active event</source>
        <translation>Belum ada acara aktif</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Sedang memproses…</translation>
    </message>
</context>
<context>
    <name>PeopleColumns</name>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>NIK / passport</source>
        <translation>NIK / paspor</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>Nomor HP</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Registration codes</source>
        <translation>Kode pendaftaran</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>Participants</source>
        <translation>Peserta</translation>
    </message>
    <message>
        <source>Search by name, NIK, mobile number or registration code</source>
        <translation>Cari dengan nama, NIK, nomor HP atau kode pendaftaran</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>Follow-up status of their registrations</source>
        <translation>Status tindak lanjut pendaftarannya</translation>
    </message>
    <message>
        <source>{count} participants</source>
        <translation>{count} peserta</translation>
    </message>
    <message>
        <source>{count} participants · {status}</source>
        <translation>{count} peserta · {status}</translation>
    </message>
    <message>
        <source>Record that this person withdrew consent? Their personal data are then erased on this laptop, on the branch server and on every other laptop. Registrations and counts stay.</source>
        <translation>Catat bahwa peserta ini menarik persetujuannya? Data pribadinya lalu dihapus di laptop ini, di server cabang, dan di semua laptop lain. Pendaftaran dan jumlahnya tetap ada.</translation>
    </message>
    <message>
        <source>Erase this person&apos;s personal data (name, NIK, phone, address, birth data)? This cannot be undone. Registrations and counts stay.</source>
        <translation>Hapus data pribadi peserta ini (nama, NIK, telepon, alamat, data kelahiran)? Tidak bisa dibatalkan. Pendaftaran dan jumlahnya tetap ada.</translation>
    </message>
    <message>
        <source>Personal data</source>
        <translation>Data pribadi</translation>
    </message>
</context>
<context>
    <name>PersonDetail</name>
    <message>
        <source>Choose a person from the list</source>
        <translation>Pilih peserta dari daftar</translation>
    </message>
    <message>
        <source>Show full NIK</source>
        <translation>Tampilkan NIK lengkap</translation>
    </message>
    <message>
        <source>Edit (Ctrl+E)</source>
        <translation>Ubah (Ctrl+E)</translation>
    </message>
    <message>
        <source>Reprint (Ctrl+R)</source>
        <translation>Cetak ulang (Ctrl+R)</translation>
    </message>
    <message>
        <source>Follow-up (Ctrl+K)</source>
        <translation>Tindak lanjut (Ctrl+K)</translation>
    </message>
    <message>
        <source>Consent withdrawn…</source>
        <translation>Persetujuan ditarik…</translation>
    </message>
    <message>
        <source>Erase personal data…</source>
        <translation>Hapus data pribadi…</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Laki-laki</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Perempuan</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Tanggal lahir</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>Nomor HP</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>Email</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Mother&apos;s maiden name</source>
        <translation>Nama ibu kandung</translation>
    </message>
    <message>
        <source>No. KK</source>
        <translation>No. KK</translation>
    </message>
    <message>
        <source>Heir</source>
        <translation>Ahli waris</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Persetujuan</translation>
    </message>
    <message>
        <source>version {version}, {when}</source>
        <translation>versi {version}, {when}</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Belum ada</translation>
    </message>
    <message>
        <source>Registrations</source>
        <translation>Pendaftaran</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Kehadiran</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <source>created</source>
        <translation>dibuat</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>diubah</translation>
    </message>
    <message>
        <source>full NIK shown</source>
        <translation>NIK lengkap ditampilkan</translation>
    </message>
    <message>
        <source>an earlier notice (now {current})</source>
        <translation>pemberitahuan versi lama (kini {current})</translation>
    </message>
    <message>
        <source>{amount}/month</source>
        <translation>{amount}/bulan</translation>
    </message>
    <message>
        <source>{amount}/month now (first month {first})</source>
        <translation>{amount}/bulan sekarang (bulan pertama {first})</translation>
    </message>
    <message>
        <source>KPJ {number}</source>
        <translation>KPJ {number}</translation>
    </message>
    <message>
        <source>payment code {code}</source>
        <translation>kode bayar {code}</translation>
    </message>
    <message>
        <source>paid until {day}</source>
        <translation>lunas sampai {day}</translation>
    </message>
</context>
<context>
    <name>PersonEditDialog</name>
    <message>
        <source>Edit participant</source>
        <translation>Ubah data peserta</translation>
    </message>
    <message>
        <source>Full name (as on the KTP)</source>
        <translation>Nama lengkap (sesuai KTP)</translation>
    </message>
    <message>
        <source>Date of birth (DD-MM-YYYY)</source>
        <translation>Tanggal lahir (HH-BB-TTTT)</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <source>Place of birth</source>
        <translation>Tempat lahir</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>Nomor HP</translation>
    </message>
    <message>
        <source>Email (optional)</source>
        <translation>Email (boleh kosong)</translation>
    </message>
    <message>
        <source>Address (street, RT/RW)</source>
        <translation>Alamat (jalan, RT/RW)</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Mother&apos;s maiden name (optional)</source>
        <translation>Nama ibu kandung (opsional)</translation>
    </message>
    <message>
        <source>Family card number, No. KK (optional)</source>
        <translation>Nomor Kartu Keluarga, No. KK (opsional)</translation>
    </message>
    <message>
        <source>Heir&apos;s name (optional)</source>
        <translation>Nama ahli waris (opsional)</translation>
    </message>
    <message>
        <source>Heir&apos;s relation</source>
        <translation>Hubungan ahli waris</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Laki-laki</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Perempuan</translation>
    </message>
</context>
<context>
    <name>ProtectedSetupDialog</name>
    <message>
        <source>This laptop&apos;s work (starts empty)</source>
        <translation>Kerja di laptop ini (mulai kosong)</translation>
    </message>
    <message>
        <source>Latihan (data contoh): a separate training database</source>
        <translation>Latihan (data contoh): basis data latihan tersendiri</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>Penggunaan</translation>
    </message>
    <message>
        <source>Choose a password of at least %1 characters, not a common one (three words are easy to remember). The data on this laptop are encrypted with it; you will be its supervisor and can add the other officers&apos; accounts.</source>
        <translation>Pilih kata sandi minimal %1 karakter yang tidak umum (tiga kata mudah diingat). Data di laptop ini dienkripsi dengannya; Anda menjadi supervisornya dan dapat menambahkan akun petugas lain.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Repeat the password</source>
        <translation>Ulangi kata sandi</translation>
    </message>
</context>
<context>
    <name>RecentCheckInsModel</name>
    <message>
        <source>Time</source>
        <translation>Jam</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
</context>
<context>
    <name>RegistrationForm</name>
    <message>
        <source>Segment</source>
        <translation>Segmen</translation>
    </message>
    <message>
        <source>Identity</source>
        <translation>Identitas</translation>
    </message>
    <message>
        <source>NIK (16 digits, from the KTP)</source>
        <translation>NIK (16 angka, dari KTP)</translation>
    </message>
    <message>
        <source>Passport number</source>
        <translation>Nomor paspor</translation>
    </message>
    <message>
        <source>Nationality (country or code: CN, JP, KR)</source>
        <translation>Kewarganegaraan (negara atau kode: CN, JP, KR)</translation>
    </message>
    <message>
        <source>KITAS/KITAP number</source>
        <translation>Nomor KITAS/KITAP</translation>
    </message>
    <message>
        <source>KITAS/KITAP valid until (DD-MM-YYYY)</source>
        <translation>KITAS/KITAP berlaku sampai (HH-BB-TTTT)</translation>
    </message>
    <message>
        <source>Full name (as on the KTP)</source>
        <translation>Nama lengkap (sesuai KTP)</translation>
    </message>
    <message>
        <source>Date of birth (DD-MM-YYYY)</source>
        <translation>Tanggal lahir (HH-BB-TTTT)</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>Laki-laki</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>Perempuan</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Jenis kelamin</translation>
    </message>
    <message>
        <source>Place of birth</source>
        <translation>Tempat lahir</translation>
    </message>
    <message>
        <source>Mobile number</source>
        <translation>Nomor HP</translation>
    </message>
    <message>
        <source>Address (street, RT/RW)</source>
        <translation>Alamat (jalan, RT/RW)</translation>
    </message>
    <message>
        <source>Email (optional)</source>
        <translation>Email (boleh kosong)</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Village (desa/kelurahan)</source>
        <translation>Desa/kelurahan</translation>
    </message>
    <message>
        <source>&amp;Later steps at BPJS (optional, Alt+L)</source>
        <translation>&amp;Lanjutan untuk BPJS (opsional, Alt+L)</translation>
    </message>
    <message>
        <source>Mother&apos;s maiden name, No. KK, heir</source>
        <translation>Nama ibu kandung, No. KK, ahli waris</translation>
    </message>
    <message>
        <source>Mother&apos;s maiden name (optional)</source>
        <translation>Nama ibu kandung (opsional)</translation>
    </message>
    <message>
        <source>Family card number, No. KK (optional)</source>
        <translation>Nomor Kartu Keluarga, No. KK (opsional)</translation>
    </message>
    <message>
        <source>Heir&apos;s name (optional)</source>
        <translation>Nama ahli waris (opsional)</translation>
    </message>
    <message>
        <source>Heir&apos;s relation</source>
        <translation>Hubungan ahli waris</translation>
    </message>
    <message>
        <source>Work and contribution</source>
        <translation>Pekerjaan dan iuran</translation>
    </message>
    <message>
        <source>Occupation</source>
        <translation>Pekerjaan</translation>
    </message>
    <message>
        <source>Sector</source>
        <translation>Sektor</translation>
    </message>
    <message>
        <source>Declared monthly income</source>
        <translation>Penghasilan per bulan yang dilaporkan</translation>
    </message>
    <message>
        <source>Who pays</source>
        <translation>Sumber iuran</translation>
    </message>
    <message>
        <source>Paid by (agency or company name)</source>
        <translation>Dibayar oleh (nama instansi atau perusahaan)</translation>
    </message>
    <message>
        <source> month(s)</source>
        <translation> bulan</translation>
    </message>
    <message>
        <source>Months paid ahead</source>
        <translation>Bulan dibayar di muka</translation>
    </message>
    <message>
        <source>Add JHT (2% of income)</source>
        <translation>Ikut JHT (2% penghasilan)</translation>
    </message>
    <message>
        <source>Optional program</source>
        <translation>Program tambahan</translation>
    </message>
    <message>
        <source>Employer / agency</source>
        <translation>Pemberi kerja / instansi</translation>
    </message>
    <message>
        <source>Monthly wage (basic + fixed allowances)</source>
        <translation>Upah per bulan (pokok + tunjangan tetap)</translation>
    </message>
    <message>
        <source>1 – very low (office, shop)</source>
        <translation>1 – sangat rendah (kantor, toko)</translation>
    </message>
    <message>
        <source>2 – low (farm, food)</source>
        <translation>2 – rendah (pertanian, makanan)</translation>
    </message>
    <message>
        <source>3 – medium (textile, printing)</source>
        <translation>3 – sedang (tekstil, percetakan)</translation>
    </message>
    <message>
        <source>4 – high (construction, transport)</source>
        <translation>4 – tinggi (konstruksi, transportasi)</translation>
    </message>
    <message>
        <source>5 – very high (mining, logging)</source>
        <translation>5 – sangat tinggi (pertambangan, penebangan)</translation>
    </message>
    <message>
        <source>Work risk class (JKK)</source>
        <translation>Kelas risiko kerja (JKK)</translation>
    </message>
    <message>
        <source>Employer&apos;s business scale (decides the programmes)</source>
        <translation>Skala usaha pemberi kerja (menentukan program)</translation>
    </message>
    <message>
        <source>Participant agrees to the privacy notice</source>
        <translation>Peserta menyetujui pemberitahuan privasi</translation>
    </message>
    <message>
        <source>male</source>
        <translation>laki-laki</translation>
    </message>
    <message>
        <source>female</source>
        <translation>perempuan</translation>
    </message>
    <message>
        <source>From the NIK: born {date}, {sex}{place}</source>
        <translation>Dari NIK: lahir {date}, {sex}{place}</translation>
    </message>
    <message>
        <source>Full name (as on the passport)</source>
        <translation>Nama lengkap (sesuai paspor)</translation>
    </message>
    <message>
        <source>Agency (instansi)</source>
        <translation>Instansi</translation>
    </message>
    <message>
        <source>Employer</source>
        <translation>Pemberi kerja</translation>
    </message>
    <message>
        <source>Choose the employer&apos;s business scale: it decides the programmes.</source>
        <translation>Pilih skala usaha pemberi kerja: skala itu menentukan programnya.</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Persetujuan</translation>
    </message>
</context>
<context>
    <name>RegistrationPage</name>
    <message>
        <source>Registration</source>
        <translation>Pendaftaran</translation>
    </message>
    <message>
        <source>Check in (F6)</source>
        <translation>Catat hadir (F6)</translation>
    </message>
    <message>
        <source>New registration for this person (F7)</source>
        <translation>Pendaftaran baru untuk orang ini (F7)</translation>
    </message>
    <message>
        <source>Privacy notice (read it to the participant)</source>
        <translation>Pemberitahuan privasi (bacakan kepada peserta)</translation>
    </message>
    <message>
        <source>Also check in at the active event</source>
        <translation>Sekaligus catat hadir di acara aktif</translation>
    </message>
    <message>
        <source>Clear form</source>
        <translation>Kosongkan formulir</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Simpan (Ctrl+S)</translation>
    </message>
    <message>
        <source>Not ready to save. To fix: {fields}</source>
        <translation>Belum bisa disimpan. Perbaiki: {fields}</translation>
    </message>
    <message>
        <source>A form that was not saved has been restored. Check it and save, or clear it.</source>
        <translation>Formulir yang belum tersimpan telah dipulihkan. Periksa lalu simpan, atau kosongkan.</translation>
    </message>
    <message>
        <source>This NIK is already registered: &lt;b&gt;{name}&lt;/b&gt;.</source>
        <translation>NIK ini sudah terdaftar: &lt;b&gt;{name}&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>Registrations: {codes}.</source>
        <translation>Pendaftaran: {codes}.</translation>
    </message>
    <message>
        <source>Already checked in at the active event.</source>
        <translation>Sudah tercatat hadir di acara aktif.</translation>
    </message>
    <message>
        <source>{name} is checked in.</source>
        <translation>{name} tercatat hadir.</translation>
    </message>
    <message>
        <source>Saved: &lt;b&gt;{code}&lt;/b&gt; · {name} · {segment} · {amount} per month.</source>
        <translation>Tersimpan: &lt;b&gt;{code}&lt;/b&gt; · {name} · {segment} · {amount} per bulan.</translation>
    </message>
    <message>
        <source>To pay now for {months} months: {amount}.</source>
        <translation>Dibayar sekarang untuk {months} bulan: {amount}.</translation>
    </message>
    <message>
        <source>Checked in.</source>
        <translation>Tercatat hadir.</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Report</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>Minggu ini</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>Bulan ini</translation>
    </message>
    <message>
        <source>Year to date</source>
        <translation>Sejak awal tahun</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Segmen</translation>
    </message>
    <message>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <source>Industrial estate</source>
        <translation>Kawasan industri</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Acara</translation>
    </message>
    <message>
        <source>Partner organisation</source>
        <translation>Organisasi mitra</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Save PDF…</source>
        <translation>Simpan PDF…</translation>
    </message>
    <message>
        <source>Save Excel…</source>
        <translation>Simpan Excel…</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Per</translation>
    </message>
    <message>
        <source>Attended</source>
        <translation>Hadir</translation>
    </message>
    <message>
        <source>Registered</source>
        <translation>Terdaftar</translation>
    </message>
    <message>
        <source>KPJ</source>
        <translation>KPJ</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Bayar</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Berhenti</translation>
    </message>
    <message>
        <source>Annual target</source>
        <translation>Target tahunan</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Capaian</translation>
    </message>
    <message>
        <source>Paid ahead</source>
        <translation>Dibayar di muka</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Iuran/bulan</translation>
    </message>
    <message>
        <source>Monthly contribution of the registrations that paid</source>
        <translation>Iuran per bulan pendaftaran yang sudah bayar</translation>
    </message>
    <message>
        <source>What the first payments brought: months paid ahead × amount</source>
        <translation>Hasil pembayaran pertama: bulan dibayar di muka × iuran</translation>
    </message>
    <message>
        <source>Registered, no KPJ yet</source>
        <translation>Terdaftar, belum ada KPJ</translation>
    </message>
    <message>
        <source>KPJ issued, not paid yet</source>
        <translation>KPJ terbit, belum bayar</translation>
    </message>
    <message>
        <source>Paid months running out</source>
        <translation>Bulan terbayar hampir habis</translation>
    </message>
    <message>
        <source> days</source>
        <translation> hari</translation>
    </message>
    <message>
        <source>Call sheet (PDF)…</source>
        <translation>Lembar telepon (PDF)…</translation>
    </message>
    <message>
        <source>Follow-up list</source>
        <translation>Daftar tindak lanjut</translation>
    </message>
    <message>
        <source>{start} to {end}: attended {attended} → registered {registered} → KPJ {kpj} → paid {paid}.</source>
        <translation>{start} s.d. {end}: hadir {attended} → terdaftar {registered} → KPJ {kpj} → bayar {paid}.</translation>
    </message>
    <message>
        <source>Targets set in Settings by {name} on {day}.</source>
        <translation>Target ditetapkan di Pengaturan oleh {name} pada {day}.</translation>
    </message>
    <message>
        <source>Targets: {source}</source>
        <translation>Target: {source}</translation>
    </message>
    <message>
        <source>No targets for this branch and year.</source>
        <translation>Belum ada target untuk cabang dan tahun ini.</translation>
    </message>
    <message>
        <source>Progress against the annual target, by segment</source>
        <translation>Capaian terhadap target tahunan, per segmen</translation>
    </message>
    <message>
        <source>Registrations by kecamatan</source>
        <translation>Pendaftaran per kecamatan</translation>
    </message>
    <message>
        <source>Contribution: {monthly} a month from those paying; paid ahead {ahead}.</source>
        <translation>Iuran: {monthly} per bulan dari peserta yang bayar; dibayar di muka {ahead}.</translation>
    </message>
    <message>
        <source>Annual contribution target {amount}: {share} reached.</source>
        <translation>Target iuran tahunan {amount}: tercapai {share}.</translation>
    </message>
    <message>
        <source>No contribution target for this branch and year.</source>
        <translation>Belum ada target iuran untuk cabang dan tahun ini.</translation>
    </message>
    <message>
        <source>Registrations per day</source>
        <translation>Pendaftaran per hari</translation>
    </message>
    <message>
        <source>Registrations</source>
        <translation>Pendaftaran</translation>
    </message>
    <message>
        <source>Save call sheet</source>
        <translation>Simpan lembar telepon</translation>
    </message>
    <message>
        <source>Save report</source>
        <translation>Simpan laporan</translation>
    </message>
</context>
<context>
    <name>SaveCancelRow</name>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>Simpan (Ctrl+S)</translation>
    </message>
</context>
<context>
    <name>SelfRegDesk</name>
    <message>
        <source>PRE-REGISTRATION REFUSED</source>
        <translation>PRA-PENDAFTARAN DITOLAK</translation>
    </message>
    <message>
        <source>The form holds another person being typed: save it or clear it (Clear form), then scan the pre-registration QR {code} again.</source>
        <translation>Formulir masih berisi orang lain yang sedang diketik: simpan atau kosongkan (Kosongkan formulir), lalu pindai ulang QR pra-pendaftaran {code}.</translation>
    </message>
    <message>
        <source>Pre-registration {code}: filled in on the participant&apos;s phone. Check every field against the KTP, fix what differs, then save.</source>
        <translation>Pra-pendaftaran {code}: diisi peserta di ponselnya. Cocokkan setiap isian dengan KTP, perbaiki yang berbeda, lalu simpan.</translation>
    </message>
    <message>
        <source>The phone showed the privacy notice version {version}: tick consent when the participant confirms it.</source>
        <translation>Ponsel menampilkan pemberitahuan privasi versi {version}: centang persetujuan bila peserta menegaskannya.</translation>
    </message>
    <message>
        <source>The phone showed another privacy notice ({phone}): show the notice in force ({desk}) before ticking consent.</source>
        <translation>Ponsel menampilkan pemberitahuan privasi lain ({phone}): tunjukkan pemberitahuan yang berlaku ({desk}) sebelum mencentang persetujuan.</translation>
    </message>
</context>
<context>
    <name>SelfRegPanel</name>
    <message>
        <source>Pre-registered on phones today: %1 waiting, %2 confirmed</source>
        <translation>Pra-pendaftaran dari ponsel hari ini: %1 menunggu, %2 dikonfirmasi</translation>
    </message>
    <message>
        <source>Event Wi-Fi name (printed on the poster)</source>
        <translation>Nama Wi-Fi acara (dicetak di poster)</translation>
    </message>
    <message>
        <source>Print the poster</source>
        <translation>Cetak poster</translation>
    </message>
    <message>
        <source>The participants&apos; page could not start on %1 (the port is taken?): stop the hub and start it on another port.</source>
        <translation>Halaman peserta tidak bisa dibuka di %1 (port sudah dipakai?): hentikan hub dan jalankan di port lain.</translation>
    </message>
    <message>
        <source>Participants&apos; phones: join the event&apos;s Wi-Fi and open %1 (print the poster for the queue).</source>
        <translation>Ponsel peserta: sambungkan ke Wi-Fi acara dan buka %1 (cetak poster untuk antrean).</translation>
    </message>
    <message>
        <source>Poster sent to the printer.</source>
        <translation>Poster dikirim ke printer.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Settings are changed by a supervisor.</source>
        <translation>Pengaturan diubah oleh supervisor.</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Change officer</source>
        <translation>Ganti petugas</translation>
    </message>
    <message>
        <source>Officer</source>
        <translation>Petugas</translation>
    </message>
    <message>
        <source>Lock the screen after</source>
        <translation>Kunci layar setelah</translation>
    </message>
    <message>
        <source>Database file</source>
        <translation>Berkas basis data</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Isi</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Versi</translation>
    </message>
    <message>
        <source>{people} participants, {registrations} registrations, {attendance} check-ins, {events} events</source>
        <translation>{people} peserta, {registrations} pendaftaran, {attendance} kehadiran, {events} acara</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <source>Welcome to BPJS Field</source>
        <translation>Selamat datang di BPJS Field</translation>
    </message>
    <message>
        <source>Set up this laptop</source>
        <translation>Siapkan laptop ini</translation>
    </message>
    <message>
        <source>Enter your branch and your name once. Registrations and check-ins you make are recorded under your name.</source>
        <translation>Isi kantor cabang dan nama Anda sekali saja. Pendaftaran dan kehadiran yang Anda catat tersimpan atas nama Anda.</translation>
    </message>
    <message>
        <source>Branch office</source>
        <translation>Kantor cabang</translation>
    </message>
    <message>
        <source>Your full name</source>
        <translation>Nama lengkap Anda</translation>
    </message>
    <message>
        <source>Employee number</source>
        <translation>Nomor pegawai</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <source>Start working</source>
        <translation>Mulai bekerja</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Rows from the branch server that this laptop cannot store yet. Everything else was applied. A row waiting for its person or event is applied by itself when they arrive; any other comes again once the branch corrects it. Tell a supervisor.</source>
        <translation>Baris dari server cabang yang belum bisa disimpan di laptop ini. Semua yang lain sudah masuk. Baris yang menunggu pesertanya atau acaranya masuk sendiri begitu keduanya tiba; baris lain masuk lagi setelah diperbaiki di cabang. Beri tahu supervisor.</translation>
    </message>
    <message>
        <source>Set aside from the server:</source>
        <translation>Disisihkan dari server:</translation>
    </message>
    <message>
        <source>Sync with the branch server</source>
        <translation>Sinkronisasi dengan server cabang</translation>
    </message>
    <message>
        <source>The branch server refused these changes. They stay on this laptop and are sent again only when you ask, for example after the app or the server was updated.</source>
        <translation>Server cabang menolak perubahan ini. Perubahan itu tetap tersimpan di laptop ini dan baru dikirim lagi bila Anda minta, misalnya setelah aplikasi atau server diperbarui.</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sinkronkan sekarang</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>Send refused changes again</source>
        <translation>Kirim ulang perubahan yang ditolak</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Changes waiting:</source>
        <translation>Perubahan menunggu:</translation>
    </message>
    <message>
        <source>Refused by the server:</source>
        <translation>Ditolak server:</translation>
    </message>
    <message>
        <source>Last successful sync:</source>
        <translation>Sinkronisasi berhasil terakhir:</translation>
    </message>
    <message>
        <source>Enrol this laptop</source>
        <translation>Daftarkan laptop ini</translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation>Daftarkan</translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation>Alamat server:</translation>
    </message>
    <message>
        <source>Employee number:</source>
        <translation>Nomor pegawai:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Kata sandi:</translation>
    </message>
    <message>
        <source>not enrolled</source>
        <translation>belum terdaftar</translation>
    </message>
    <message>
        <source>%1 (of which %2 made on other laptops, carried for them)</source>
        <translation>%1 (%2 di antaranya dibuat di laptop lain, dibawakan untuknya)</translation>
    </message>
    <message>
        <source>Sending %1 of %2 changes…</source>
        <translation>Mengirim %1 dari %2 perubahan…</translation>
    </message>
    <message>
        <source>Receiving the branch&apos;s data: %1 rows…</source>
        <translation>Menerima data cabang: %1 baris…</translation>
    </message>
    <message>
        <source>Next automatic sync: %1</source>
        <translation>Sinkronisasi otomatis berikutnya %1</translation>
    </message>
    <message>
        <source>Fill in the server address, employee number and password.</source>
        <translation>Isi alamat server, nomor pegawai, dan kata sandi.</translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation>Mendaftarkan…</translation>
    </message>
    <message>
        <source>Enrolled for %1.</source>
        <translation>Terdaftar atas nama %1.</translation>
    </message>
    <message>
        <source>Enrolment failed.</source>
        <translation>Pendaftaran laptop gagal.</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n perubahan menunggu</numerusform>
        </translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Menyinkronkan…</translation>
    </message>
    <message>
        <source>Not enrolled for sync</source>
        <translation>Belum terdaftar untuk sinkronisasi</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>Sinkron terakhir: %1</translation>
    </message>
    <message>
        <source>Synced: %1</source>
        <translation>Tersinkron: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n refused by the server</source>
        <translation>
            <numerusform>%n ditolak server</numerusform>
        </translation>
    </message>
    <message>
        <source>Clock is off!</source>
        <translation>Jam tidak tepat!</translation>
    </message>
    <message>
        <source>See the Sync page for the changes the server refused.</source>
        <translation>Lihat halaman Sinkronisasi untuk perubahan yang ditolak server.</translation>
    </message>
    <message>
        <source>Click to sync now.</source>
        <translation>Klik untuk sinkronkan sekarang.</translation>
    </message>
</context>
<context>
    <name>SyncTexts</name>
    <message>
        <source>The branch server cannot be reached. Data stays safe on this laptop and is sent later.</source>
        <translation>Server cabang tidak dapat dihubungi. Data tetap aman di laptop ini dan dikirim nanti.</translation>
    </message>
    <message>
        <source>The Wi-Fi needs a login in the browser. Log in there; sync tries again by itself.</source>
        <translation>Wi-Fi perlu login di peramban. Masuk dulu di sana; sinkronisasi mencoba lagi sendiri.</translation>
    </message>
    <message>
        <source>The network answered, not the branch server. Trying again later.</source>
        <translation>Yang menjawab jaringan, bukan server cabang. Dicoba lagi nanti.</translation>
    </message>
    <message>
        <source>The branch server did not answer in time. Trying again later.</source>
        <translation>Server cabang tidak menjawab tepat waktu. Dicoba lagi nanti.</translation>
    </message>
    <message>
        <source>The connection dropped. Trying again later; nothing is sent twice.</source>
        <translation>Sambungan terputus. Dicoba lagi nanti; tidak ada yang terkirim dua kali.</translation>
    </message>
    <message>
        <source>The branch server has a problem. Trying again later.</source>
        <translation>Server cabang sedang bermasalah. Dicoba lagi nanti.</translation>
    </message>
    <message>
        <source>The server&apos;s answer was not valid; nothing was changed on this laptop.</source>
        <translation>Jawaban server tidak sah; tidak ada yang diubah di laptop ini.</translation>
    </message>
    <message>
        <source>The server refused the data. Report this to the branch IT team.</source>
        <translation>Server menolak data. Laporkan ke tim TI cabang.</translation>
    </message>
    <message>
        <source>This laptop&apos;s access was revoked by the branch. Contact a supervisor.</source>
        <translation>Akses laptop ini telah dicabut oleh cabang. Hubungi supervisor.</translation>
    </message>
    <message>
        <source>This laptop is not enrolled on the branch server. Enrol it on the Sync page.</source>
        <translation>Laptop ini belum terdaftar di server cabang. Daftarkan di halaman Sinkronisasi.</translation>
    </message>
    <message>
        <source>No branch server yet. Enrol this laptop on the Sync page.</source>
        <translation>Belum ada server cabang. Daftarkan laptop ini di halaman Sinkronisasi.</translation>
    </message>
    <message>
        <source>Employee number or password is wrong.</source>
        <translation>Nomor pegawai atau kata sandi salah.</translation>
    </message>
    <message>
        <source>This officer account is disabled on the server.</source>
        <translation>Akun petugas ini dinonaktifkan di server.</translation>
    </message>
    <message>
        <source>Another sync is already running on this laptop.</source>
        <translation>Sinkronisasi lain sedang berjalan di laptop ini.</translation>
    </message>
    <message>
        <source>Sync was stopped.</source>
        <translation>Sinkronisasi dihentikan.</translation>
    </message>
    <message>
        <source>The disk is full; free some space.</source>
        <translation>Disk penuh; kosongkan sebagian ruang.</translation>
    </message>
    <message>
        <source>The database is busy; trying again later.</source>
        <translation>Basis data sedang sibuk; dicoba lagi nanti.</translation>
    </message>
    <message>
        <source>Sync failed: %1</source>
        <translation>Sinkronisasi gagal: %1</translation>
    </message>
    <message>
        <source>(status %1)</source>
        <translation>(status %1)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>This laptop&apos;s clock is %1 minutes off the server: fix the date and time (receipts show it).</source>
        <translation>Jam laptop ini selisih %1 menit dari server: perbaiki tanggal dan jam (tercetak di tanda terima).</translation>
    </message>
</context>
<context>
    <name>TargetsBox</name>
    <message>
        <source>Branch&apos;s annual targets (report)</source>
        <translation>Target tahunan cabang (laporan)</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Tahun</translation>
    </message>
    <message>
        <source>Participants</source>
        <translation>Peserta</translation>
    </message>
    <message>
        <source>Annual contribution (Rp)</source>
        <translation>Iuran setahun (Rp)</translation>
    </message>
    <message>
        <source>Kecamatan / industrial estate</source>
        <translation>Kecamatan / kawasan industri</translation>
    </message>
    <message>
        <source>Target (participants)</source>
        <translation>Target (peserta)</translation>
    </message>
    <message>
        <source>Per kecamatan and industrial estate (optional)</source>
        <translation>Per kecamatan dan kawasan industri (boleh kosong)</translation>
    </message>
    <message>
        <source>Save targets</source>
        <translation>Simpan target</translation>
    </message>
    <message>
        <source>Set by {name} on {day}.</source>
        <translation>Ditetapkan oleh {name} pada {day}.</translation>
    </message>
    <message>
        <source>From the shipped targets file: {source}</source>
        <translation>Dari berkas target bawaan: {source}</translation>
    </message>
    <message>
        <source>No targets for {branch} in {year}.</source>
        <translation>Belum ada target untuk {branch} tahun {year}.</translation>
    </message>
</context>
<context>
    <name>Training</name>
    <message>
        <source>LATIHAN: training database with sample participants, not real data</source>
        <translation>LATIHAN: basis data latihan berisi peserta contoh, bukan data sungguhan</translation>
    </message>
</context>
</TS>
