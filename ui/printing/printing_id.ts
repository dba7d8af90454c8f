<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id_ID">
<context>
    <name>AutoPrint</name>
    <message>
        <source>No printer; print the receipt from the Print page.</source>
        <translation>Tidak ada printer; cetak tanda terima dari halaman Cetak.</translation>
    </message>
    <message>
        <source>The receipt was not printed.</source>
        <translation>Tanda terima tidak tercetak.</translation>
    </message>
</context>
<context>
    <name>PrintPage</name>
    <message>
        <source>Registration receipt</source>
        <translation>Tanda terima pendaftaran</translation>
    </message>
    <message>
        <source>Program brochure</source>
        <translation>Brosur program</translation>
    </message>
    <message>
        <source>Event attendance list</source>
        <translation>Daftar hadir acara</translation>
    </message>
    <message>
        <source>Event summary</source>
        <translation>Ringkasan acara</translation>
    </message>
    <message>
        <source>80 mm roll</source>
        <translation>Struk 80 mm</translation>
    </message>
    <message>
        <source>As the document</source>
        <translation>Sesuai dokumen</translation>
    </message>
    <message>
        <source>Registration code, e.g. 27PS-0001-C</source>
        <translation>Kode pendaftaran, mis. 27PS-0001-C</translation>
    </message>
    <message>
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
        <source>P&amp;rint</source>
        <translation>&amp;Cetak</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Batal</translation>
    </message>
    <message>
        <source>Co&amp;de</source>
        <translation>&amp;Kode</translation>
    </message>
    <message>
        <source>&amp;Format</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <source>Pro&amp;gram</source>
        <translation>Pro&amp;gram</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Bahasa</translation>
    </message>
    <message>
        <source>&amp;Event</source>
        <translation>&amp;Acara</translation>
    </message>
    <message>
        <source>Doc&amp;ument</source>
        <translation>&amp;Dokumen</translation>
    </message>
    <message>
        <source>Pri&amp;nter</source>
        <translation>P&amp;rinter</translation>
    </message>
    <message>
        <source>Cop&amp;ies</source>
        <translation>&amp;Jumlah</translation>
    </message>
    <message>
        <source>Pa&amp;per</source>
        <translation>K&amp;ertas</translation>
    </message>
    <message>
        <source>(no printer)</source>
        <translation>(tidak ada printer)</translation>
    </message>
    <message>
        <source>No event yet; create an event first.</source>
        <translation>Belum ada acara; buat acara terlebih dahulu.</translation>
    </message>
    <message>
        <source>Preparing the document…</source>
        <translation>Menyiapkan dokumen…</translation>
    </message>
    <message numerus="yes">
        <source>%1%2: %n page(s).</source>
        <translation>
            <numerusform>%1%2: %n halaman.</numerusform>
        </translation>
    </message>
    <message>
        <source>The document could not be made.</source>
        <translation>Dokumen tidak dapat dibuat.</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Mencetak…</translation>
    </message>
    <message>
        <source>Sent to printer %1.</source>
        <translation>Terkirim ke printer %1.</translation>
    </message>
</context>
<context>
    <name>PrintRun</name>
    <message>
        <source>The document could not be opened for printing.</source>
        <translation>Dokumen tidak dapat dibuka untuk dicetak.</translation>
    </message>
    <message>
        <source>Printer “%1” is not ready.</source>
        <translation>Printer “%1” tidak siap.</translation>
    </message>
    <message>
        <source>Printing cancelled.</source>
        <translation>Pencetakan dibatalkan.</translation>
    </message>
    <message>
        <source>Printing failed; check the printer and try again.</source>
        <translation>Pencetakan gagal; periksa printer lalu coba lagi.</translation>
    </message>
    <message>
        <source>%1 copies sent to %2.</source>
        <translation>%1 salinan dikirim ke %2.</translation>
    </message>
</context>
</TS>
