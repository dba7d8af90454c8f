<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AutoPrint</name>
    <message>
        <location filename="__init__.py" line="77"/>
        <source>No printer; print the receipt from the Print page.</source>
        <translation>Tidak ada printer; cetak tanda terima dari halaman Cetak.</translation>
    </message>
    <message>
        <location filename="__init__.py" line="100"/>
        <source>The receipt was not printed.</source>
        <translation>Tanda terima tidak tercetak.</translation>
    </message>
</context>
<context>
    <name>EscposRun</name>
    <message>
        <location filename="escpos_run.py" line="60"/>
        <source>The receipt printer could not be used; see the log file.</source>
        <translation>Printer struk tidak dapat dipakai; lihat berkas log.</translation>
    </message>
    <message>
        <location filename="escpos_run.py" line="63"/>
        <source>Printed on %1.</source>
        <translation>Tercetak di %1.</translation>
    </message>
    <message>
        <location filename="escpos_run.py" line="122"/>
        <source>The receipt was not printed.</source>
        <translation>Tanda terima tidak tercetak.</translation>
    </message>
</context>
<context>
    <name>PrintPage</name>
    <message>
        <location filename="page.py" line="38"/>
        <source>Registration receipt</source>
        <translation>Tanda terima pendaftaran</translation>
    </message>
    <message>
        <location filename="page.py" line="39"/>
        <source>Program brochure</source>
        <translation>Brosur program</translation>
    </message>
    <message>
        <location filename="page.py" line="40"/>
        <source>Event attendance list</source>
        <translation>Daftar hadir acara</translation>
    </message>
    <message>
        <location filename="page.py" line="41"/>
        <source>Event summary</source>
        <translation>Ringkasan acara</translation>
    </message>
    <message>
        <location filename="page.py" line="42"/>
        <location filename="page.py" line="45"/>
        <source>80 mm roll</source>
        <translation>Struk 80 mm</translation>
    </message>
    <message>
        <location filename="page.py" line="43"/>
        <source>58 mm roll</source>
        <translation>Struk 58 mm</translation>
    </message>
    <message>
        <location filename="page.py" line="44"/>
        <source>As the document</source>
        <translation>Sesuai dokumen</translation>
    </message>
    <message>
        <location filename="page.py" line="80"/>
        <source>Registration code, e.g. 27PS-0001-C</source>
        <translation>Kode pendaftaran, mis. 27PS-0001-C</translation>
    </message>
    <message>
        <location filename="page.py" line="84"/>
        <source>Stamp the active event and officer</source>
        <translation>Cap acara aktif dan nama petugas</translation>
    </message>
    <message>
        <source>Find printers (F5)</source>
        <translation>Cari printer (F5)</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>&amp;Pratinjau</translation>
    </message>
    <message>
        <location filename="page.py" line="90"/>
        <source>P&amp;rint</source>
        <translation>&amp;Cetak</translation>
    </message>
    <message>
        <location filename="page.py" line="91"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Batal</translation>
    </message>
    <message>
        <location filename="page.py" line="101"/>
        <source>Co&amp;de</source>
        <translation>&amp;Kode</translation>
    </message>
    <message>
        <location filename="page.py" line="102"/>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <location filename="page.py" line="105"/>
        <source>Pro&amp;gram</source>
        <translation>Pro&amp;gram</translation>
    </message>
    <message>
        <location filename="page.py" line="106"/>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <location filename="page.py" line="109"/>
        <source>&amp;Event</source>
        <translation>&amp;Acara</translation>
    </message>
    <message>
        <location filename="page.py" line="116"/>
        <source>Doc&amp;ument</source>
        <translation>&amp;Dokumen</translation>
    </message>
    <message>
        <location filename="page.py" line="120"/>
        <source>Pri&amp;nter</source>
        <translation>P&amp;rinter</translation>
    </message>
    <message>
        <location filename="page.py" line="121"/>
        <source>Cop&amp;ies</source>
        <translation>&amp;Jumlah</translation>
    </message>
    <message>
        <location filename="page.py" line="122"/>
        <source>Pa&amp;per</source>
        <translation>K&amp;ertas</translation>
    </message>
    <message>
        <location filename="page.py" line="172"/>
        <source>(no printer)</source>
        <translation>(tidak ada printer)</translation>
    </message>
    <message>
        <location filename="page.py" line="182"/>
        <source>Receipt printer: %1</source>
        <translation>Printer struk: %1</translation>
    </message>
    <message>
        <location filename="page.py" line="247"/>
        <source>No event yet; create an event first.</source>
        <translation>Belum ada acara; buat acara terlebih dahulu.</translation>
    </message>
    <message>
        <location filename="page.py" line="253"/>
        <source>Preparing the document…</source>
        <translation>Menyiapkan dokumen…</translation>
    </message>
    <message numerus="yes">
        <location filename="page.py" line="267"/>
        <source>%1%2: %n page(s).</source>
        <translation>
            <numerusform>%1%2: %n halaman.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="page.py" line="272"/>
        <source>The document could not be made.</source>
        <translation>Dokumen tidak dapat dibuat.</translation>
    </message>
    <message>
        <location filename="page.py" line="295"/>
        <location filename="page.py" line="310"/>
        <source>Printing…</source>
        <translation>Mencetak…</translation>
    </message>
    <message>
        <source>Sent to printer %1.</source>
        <translation>Terkirim ke printer %1.</translation>
    </message>
    <message>
        <location filename="page.py" line="303"/>
        <source>The receipt printer prints registration receipts only; choose another printer.</source>
        <translation>Printer struk hanya mencetak tanda terima pendaftaran; pilih printer lain.</translation>
    </message>
</context>
<context>
    <name>PrintRun</name>
    <message>
        <location filename="service.py" line="113"/>
        <source>The document could not be opened for printing.</source>
        <translation>Dokumen tidak dapat dibuka untuk dicetak.</translation>
    </message>
    <message>
        <location filename="service.py" line="123"/>
        <source>Printer “%1” is not ready.</source>
        <translation>Printer “%1” tidak siap.</translation>
    </message>
    <message>
        <location filename="service.py" line="156"/>
        <source>Printing cancelled.</source>
        <translation>Pencetakan dibatalkan.</translation>
    </message>
    <message>
        <location filename="service.py" line="166"/>
        <source>Printing failed; check the printer and try again.</source>
        <translation>Pencetakan gagal; periksa printer lalu coba lagi.</translation>
    </message>
    <message>
        <location filename="service.py" line="172"/>
        <source>%1 copies sent to %2.</source>
        <translation>%1 salinan dikirim ke %2.</translation>
    </message>
</context>
<context>
    <name>ReceiptPrinterBox</name>
    <message>
        <location filename="receipt_printer.py" line="38"/>
        <source>None: print PDFs through the system&apos;s printers</source>
        <translation>Tidak ada: cetak PDF lewat printer sistem</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="39"/>
        <source>Serial or Bluetooth port (COM, rfcomm)</source>
        <translation>Port serial atau Bluetooth (COM, rfcomm)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="40"/>
        <source>USB (vendor:product id)</source>
        <translation>USB (id vendor:produk)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="41"/>
        <source>Windows printer queue (raw)</source>
        <translation>Antrean printer Windows (raw)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="42"/>
        <source>Device file or file</source>
        <translation>Berkas perangkat atau berkas</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="60"/>
        <source>Receipt printer (thermal, ESC/POS)</source>
        <translation>Printer struk (termal, ESC/POS)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="69"/>
        <source>(press Search)</source>
        <translation>(tekan Cari)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="72"/>
        <source>&amp;Search</source>
        <translation>&amp;Cari</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="76"/>
        <source>Found</source>
        <translation>Ditemukan</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="82"/>
        <source>Connection</source>
        <translation>Sambungan</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="85"/>
        <source>Port or address</source>
        <translation>Port atau alamat</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="88"/>
        <source>58 mm (48 mm printed)</source>
        <translation>58 mm (tercetak 48 mm)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="89"/>
        <source>80 mm (72 mm printed)</source>
        <translation>80 mm (tercetak 72 mm)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="90"/>
        <source>Paper width</source>
        <translation>Lebar kertas</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="93"/>
        <source>As an image (every printer)</source>
        <translation>Sebagai gambar (semua printer)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="94"/>
        <source>Drawn by the printer (native QR)</source>
        <translation>Digambar oleh printer (QR bawaan)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="95"/>
        <source>QR code</source>
        <translation>Kode QR</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="96"/>
        <source>The printer has a paper cutter</source>
        <translation>Printer punya pemotong kertas</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="100"/>
        <source>Save printer</source>
        <translation>Simpan printer</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="103"/>
        <source>Print &amp;test page</source>
        <translation>Cetak halaman &amp;uji</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="154"/>
        <source>Saved. Receipts will print on %1.</source>
        <translation>Tersimpan. Tanda terima akan dicetak di %1.</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="156"/>
        <source>Saved. Receipts print through the system&apos;s printers.</source>
        <translation>Tersimpan. Tanda terima dicetak lewat printer sistem.</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="165"/>
        <source>The printer settings could not be read or saved.</source>
        <translation>Pengaturan printer tidak dapat dibaca atau disimpan.</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="176"/>
        <source>Searching for printers…</source>
        <translation>Mencari printer…</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="192"/>
        <source>(none found: pair or plug in the printer, or type its port)</source>
        <translation>(tidak ada: pasangkan atau colokkan printer, atau ketik port-nya)</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="194"/>
        <source>No printer found.</source>
        <translation>Tidak ada printer yang ditemukan.</translation>
    </message>
    <message numerus="yes">
        <location filename="receipt_printer.py" line="198"/>
        <source>%n printer(s) found; choose one.</source>
        <translation>
            <numerusform>%n printer ditemukan; pilih salah satu.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="229"/>
        <source>Printing the test page…</source>
        <translation>Mencetak halaman uji…</translation>
    </message>
    <message>
        <location filename="receipt_printer.py" line="236"/>
        <source>Test page sent. The numbers line must be whole and the QR must scan.</source>
        <translation>Halaman uji terkirim. Baris angka harus utuh dan QR harus terbaca pemindai.</translation>
    </message>
</context>
</TS>
