/* The participant's own pre-registration form (bpjs_field/selfreg/DESIGN.md).
   ES5 only (old Android browsers). Nothing typed here is sent anywhere: the form is
   encrypted to the event's public key and shown as a QR for the officer's scanner. */
(function () {
  "use strict";
  var R = CONFIG.rules, lang = "id", DRAFT = "bpjs-prereg";
  var T = {
    id: {
      head: "Daftar BPJS Ketenagakerjaan (Bukan Penerima Upah)",
      intro: "Isi data sesuai KTP sambil mengantre. Data tidak dikirim lewat jaringan: di akhir, ponsel menampilkan QR untuk dipindai petugas.",
      nik: "NIK (16 angka di KTP)", full_name: "Nama lengkap (sesuai KTP)",
      birth_date: "Tanggal lahir (HH-BB-TTTT)", birth_hint: "Terisi dari NIK; ubah bila berbeda dengan KTP.",
      phone: "Nomor HP", address: "Alamat (jalan, RT/RW)", district_code: "Kecamatan",
      occupation: "Pekerjaan", declared_income: "Penghasilan per bulan (dilaporkan)",
      with_jht: "Tambah Jaminan Hari Tua (JHT, 2% penghasilan)", months_paid: "Bayar di muka",
      months: " bulan", choose: "— pilih —", fee: "Iuran per bulan", fee_total: "Dibayar sekarang untuk {months} bulan:", fee_none: "Pilih penghasilan untuk melihat iuran.",
      notice: "Pemberitahuan privasi", consent: "Saya sudah membaca pemberitahuan privasi dan setuju data saya diproses untuk pendaftaran.",
      consent_missing: "Centang persetujuan dulu: tanpa persetujuan, data tidak bisa diproses.",
      make: "Buat QR pendaftaran", fix: "Masih ada isian yang perlu diperbaiki (ditandai merah).",
      show: "Tunjukkan QR ini ke petugas di meja pendaftaran. Petugas akan memeriksa KTP Anda.",
      code: "Kode singkat", edit: "Ubah data", done: "Selesai (hapus data dari ponsel ini)",
      ticket_fail: "Tidak tersambung ke jaringan acara; pastikan ponsel masih di Wi-Fi acara, lalu coba lagi.",
      notice_version: "Versi pemberitahuan", optional: " (boleh kosong)"
    },
    en: {
      head: "BPJS Ketenagakerjaan registration (informal workers)",
      intro: "Fill in your data as on your KTP while you queue. Nothing is sent over the network: at the end your phone shows a QR for the officer to scan.",
      nik: "NIK (16 digits on the KTP)", full_name: "Full name (as on the KTP)",
      birth_date: "Date of birth (DD-MM-YYYY)", birth_hint: "Filled in from the NIK; change it if your KTP differs.",
      phone: "Mobile number", address: "Address (street, RT/RW)", district_code: "Kecamatan (district)",
      occupation: "Occupation", declared_income: "Monthly income (declared)",
      with_jht: "Add old-age savings (JHT, 2% of income)", months_paid: "Pay ahead",
      months: " month(s)", choose: "— choose —", fee: "Monthly contribution", fee_total: "To pay now for {months} months:", fee_none: "Choose an income to see the contribution.",
      notice: "Privacy notice", consent: "I have read the privacy notice and agree that my data is processed for registration.",
      consent_missing: "Tick the consent box first: without consent the data cannot be processed.",
      make: "Make my registration QR", fix: "Some fields still need fixing (marked in red).",
      show: "Show this QR to the officer at the registration desk. The officer will check your KTP.",
      code: "Short code", edit: "Change my data", done: "Done (erase my data from this phone)",
      ticket_fail: "Not connected to the event's network; check the phone is still on the event Wi-Fi, then try again.",
      notice_version: "Notice version", optional: " (optional)"
    }
  };
  var FIELDS = ["nik", "full_name", "birth_date", "phone", "address", "district_code",
                "occupation", "declared_income", "with_jht", "months_paid", "consent"];
  var touched = {}, regencies = {}, districtNames = {}, provinces = {};
  var ticket = null;  /* one ticket a visit: a QR made again after "Ubah data" reuses it */
  var i;
  for (i = 0; i < R.provinces.length; i++) provinces[R.provinces[i]] = 1;
  for (i = 0; i < R.districts.length; i++) {
    districtNames[R.districts[i][0]] = R.districts[i][1];
    regencies[R.districts[i][0].substring(0, 4)] = R.districts[i][2];
  }

  function t(key) { return T[lang][key]; }
  function msg(code, params) {
    var pair = R.messages[code], text = pair ? pair[lang === "en" ? 1 : 0] : code, k;
    params = params || {};
    for (k in params) if (params.hasOwnProperty(k)) text = text.split("{" + k + "}").join(String(params[k]));
    return text;
  }
  function el(id) { return document.getElementById(id); }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]; }); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function rupiah(n) { return "Rp" + String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  function todayParts() { var p = R.today.split("-"); return [+p[0], +p[1], +p[2]]; }
  function isLeap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
  function daysIn(y, m) { return [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]; }

  /* The same structural rules as bpjs_field/domain/nik.py parse_nik. */
  function parseNik(text) {
    var nik = String(text || "").replace(/[\s.\-]+/g, ""), td = todayParts();
    if (!nik) return {error: ["nik.empty"]};
    if (!/^[0-9]+$/.test(nik)) return {error: ["nik.not_digits"]};
    if (nik.length !== 16) return {error: ["nik.length", {length: nik.length}]};
    var prov = nik.substring(0, 2), dd = +nik.substring(6, 8), mm = +nik.substring(8, 10);
    var yy = +nik.substring(10, 12), sex, day;
    if (!provinces[prov]) return {error: ["nik.province", {code: prov}]};
    if (nik.substring(2, 4) === "00") return {error: ["nik.regency", {code: nik.substring(0, 4)}]};
    if (nik.substring(4, 6) === "00") return {error: ["nik.district", {code: nik.substring(0, 6)}]};
    if (dd >= 41 && dd <= 71) { sex = "P"; day = dd - 40; }
    else if (dd >= 1 && dd <= 31) { sex = "L"; day = dd; }
    else return {error: ["nik.day", {day: nik.substring(6, 8)}]};
    if (mm < 1 || mm > 12) return {error: ["nik.month", {month: nik.substring(8, 10)}]};
    var year = yy > td[0] % 100 ? 1900 + yy : 2000 + yy;
    if (mm === 2 && day === 29) {
      if (!isLeap(1900 + yy) && !isLeap(2000 + yy)) return {error: ["nik.date", {day: day, month: mm, yy: nik.substring(10, 12)}]};
      if (!isLeap(year)) year = year >= 2000 ? 1900 + yy : 2000 + yy;
    }
    if (day > daysIn(year, mm)) return {error: ["nik.date", {day: day, month: mm, yy: nik.substring(10, 12)}]};
    var birth = year + "-" + pad(mm) + "-" + pad(day);
    if (birth > R.today) return {error: ["nik.future", {date: birth}]};
    if (nik.substring(12) === "0000") return {error: ["nik.serial"]};
    var warn = null, district = nik.substring(0, 6);
    if (regencies[nik.substring(0, 4)] && !districtNames[district]) warn = ["nik.unknown_district", {code: district, regency: regencies[nik.substring(0, 4)]}];
    return {nik: nik, birth: birth, sex: sex, district: districtNames[district] ? district : null, warning: warn};
  }

  /* bpjs_field/domain/names.py normalize_name, for the letters this page can see. */
  function checkName(text) {
    var name = String(text || "").replace(/[\u2019\u2018`\u02bc]/g, "'").replace(/\s+/g, " ").replace(/^ | $/g, "");
    if (!name) return ["name.empty"];
    if (name.length > R.max_name) return ["name.too_long", {maximum: R.max_name, length: name.length}];
    if (/[0-9]/.test(name)) return ["name.digits"];
    var bad = name.match(/[^A-Za-z\u00C0-\u024F\u1E00-\u1EFF '\-.,]/);
    if (bad) return ["name.symbol", {"char": bad[0]}];
    if (!/[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]/.test(name)) return ["name.no_letters"];
    return null;
  }

  /* bpjs_field/domain/phone.py for the usual forms; the mobile pattern is libphonenumber's. */
  function checkPhone(text) {
    var raw = String(text || "").replace(/^\s+|\s+$/g, ""), digits, national;
    if (!raw) return ["phone.empty"];
    if (!/^[\d\s+().\-]+$/.test(raw)) return ["phone.characters"];
    digits = raw.replace(/\D/g, "");
    if (digits.indexOf("620") === 0) return ["phone.invalid"];
    if (raw.charAt(0) === "+" && digits.indexOf("62") !== 0) return ["phone.foreign"];
    if (digits.charAt(0) === "0" && raw.charAt(0) !== "+") national = digits.substring(1);
    else if (digits.indexOf("62") === 0) national = digits.substring(2);
    else national = digits;
    if (new RegExp("^(?:" + R.mobile + ")$").test(national)) return null;
    for (var k = 0; k < R.other.length; k++) if (new RegExp("^(?:" + R.other[k] + ")$").test(national)) return ["phone.not_mobile"];
    return ["phone.invalid"];
  }

  function checkBirth(text) {
    var m = /^(\d{1,2})[\-\/.](\d{1,2})[\-\/.](\d{4})$/.exec(String(text || "").replace(/\s/g, ""));
    if (!m) return null;
    var d = +m[1], mo = +m[2], y = +m[3];
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return null;
    return y + "-" + pad(mo) + "-" + pad(d);
  }

  function read() {
    var s = {};
    s.nik = el("nik").value; s.full_name = el("full_name").value; s.birth_date = el("birth_date").value;
    s.phone = el("phone").value; s.address = el("address").value;
    s.district_code = el("district_code").value; s.occupation = el("occupation").value;
    s.declared_income = el("declared_income").value; s.with_jht = el("with_jht").checked;
    s.months_paid = el("months_paid").value; s.consent = el("consent").checked;
    return s;
  }

  /* {field: [kind, text]} for every field; kind "err" blocks, "warn" does not. */
  function validate(s) {
    var out = {}, e, info = parseNik(s.nik);
    if (info.error) out.nik = ["err", msg(info.error[0], info.error[1])];
    else if (info.warning) out.nik = ["warn", msg(info.warning[0], info.warning[1])];
    e = checkName(s.full_name); if (e) out.full_name = ["err", msg(e[0], e[1])];
    var birth = checkBirth(s.birth_date);
    if (s.birth_date && !birth) out.birth_date = ["err", lang === "en" ? "Write the date as DD-MM-YYYY, e.g. 22-11-1988." : "Tulis tanggal sebagai HH-BB-TTTT, contoh 22-11-1988."];
    else if (birth && info.birth && birth !== info.birth) out.birth_date = ["warn", msg("nik.birth_mismatch", {nik_date: info.birth})];
    e = checkPhone(s.phone); if (e) out.phone = ["err", msg(e[0], e[1])];
    if (s.address.length > R.max_address) out.address = ["err", msg("too_long", {maximum: R.max_address})];
    if (!s.declared_income) out.declared_income = ["err", msg("income.missing")];
    var mp = +s.months_paid; if (!(mp >= 1 && mp <= 12)) out.months_paid = ["err", msg("months_paid.invalid")];
    if (!s.consent) out.consent = ["err", t("consent_missing")];
    return out;
  }

  function sectorOf(code) {
    for (var k = 0; k < R.occupations.length; k++) if (R.occupations[k][0] === code) return R.occupations[k][3];
    return "umum";
  }
  /* [first month, all the months paid now]: each month at its own rules (rules.tables). */
  function fee(s) {
    var idx = -1, k, sector = sectorOf(s.occupation), jht = s.with_jht ? 1 : 0, total = 0;
    for (k = 0; k < R.steps.length; k++) if (String(R.steps[k]) === s.declared_income) idx = k;
    if (idx < 0) return null;
    var months = Math.max(1, Math.min(12, +s.months_paid || 1));
    for (k = 0; k < months; k++) total += R.tables[R.month_table[k]][sector][idx][jht];
    return [R.tables[R.month_table[0]][sector][idx][jht], total, months];
  }

  function show(all) {
    var s = read(), v = validate(s), k, f, box, note;
    for (k = 0; k < FIELDS.length; k++) {
      f = FIELDS[k]; box = el("f-" + f); note = el("m-" + f);
      var shown = (all || touched[f]) && v[f];
      box.className = "f" + (shown && v[f][0] === "err" ? " bad" : "");
      note.className = shown ? v[f][0] : "";
      note.innerHTML = shown ? esc(v[f][1]) : "";
    }
    var amount = fee(s);
    el("fee").innerHTML = amount === null ? esc(t("fee_none")) :
      esc(t("fee")) + "<br><b id='fee-amount'>" + rupiah(amount[0]) + "</b>" +
      (amount[2] > 1 ? "<div id='fee-total'>" + esc(t("fee_total").replace("{months}", amount[2])) + " <b>" + rupiah(amount[1]) + "</b></div>" : "");
    return v;
  }

  function saveDraft() {
    try { var s = read(); delete s.consent; localStorage.setItem(DRAFT, JSON.stringify({day: R.today, s: s})); } catch (ignore) {}
  }
  function loadDraft() {
    try {
      var d = JSON.parse(localStorage.getItem(DRAFT) || "null");
      if (!d) return;
      if (d.day !== R.today) { localStorage.removeItem(DRAFT); return; }  /* erased after the event day */
      for (var k in d.s) if (d.s.hasOwnProperty(k) && el(k)) {
        if (el(k).type === "checkbox") el(k).checked = !!d.s[k]; else el(k).value = d.s[k];
      }
    } catch (ignore) {}
  }

  function options(items, chosen) {
    var h = "<option value=''>" + esc(t("choose")) + "</option>", k;
    for (k = 0; k < items.length; k++) h += "<option value='" + esc(items[k][0]) + "'" + (items[k][0] === chosen ? " selected" : "") + ">" + esc(items[k][1]) + "</option>";
    return h;
  }
  function field(name, input, hint) {
    return "<div class='f' id='f-" + name + "'><label for='" + name + "'>" + esc(t(name)) + "</label>" + input +
      (hint ? "<div class='hint'>" + esc(hint) + "</div>" : "") + "<div id='m-" + name + "'></div></div>";
  }

  function renderForm() {
    var s = el("nik") ? read() : null, k, districts = [], occ = [], steps = [], months = [];
    for (k = 0; k < R.districts.length; k++) districts.push([R.districts[k][0], R.districts[k][1] + " (" + R.districts[k][2] + ")"]);
    for (k = 0; k < R.occupations.length; k++) occ.push([R.occupations[k][0], R.occupations[k][lang === "en" ? 2 : 1]]);
    for (k = 0; k < R.steps.length; k++) steps.push([String(R.steps[k]), rupiah(R.steps[k])]);
    for (k = 1; k <= 12; k++) months.push([String(k), k + t("months")]);
    var h = "<h1>" + esc(t("head")) + "</h1><p class='hint'>" + esc(t("intro")) + "</p>";
    h += field("nik", "<input type='tel' id='nik' inputmode='numeric' autocomplete='off' maxlength='24'>");
    h += field("full_name", "<input type='text' id='full_name' autocomplete='name' maxlength='100'>");
    h += field("birth_date", "<input type='tel' id='birth_date' placeholder='22-11-1988' maxlength='10'>", t("birth_hint"));
    h += field("phone", "<input type='tel' id='phone' autocomplete='tel' placeholder='0812-3456-7890' maxlength='20'>");
    h += field("address", "<textarea id='address' maxlength='300'></textarea>");
    h += field("district_code", "<select id='district_code'>" + options(districts) + "</select>");
    h += field("occupation", "<select id='occupation'>" + options(occ) + "</select>");
    h += field("declared_income", "<select id='declared_income'>" + options(steps) + "</select>");
    h += "<div class='f' id='f-with_jht'><div class='check'><input type='checkbox' id='with_jht'><label for='with_jht'>" + esc(t("with_jht")) + "</label></div><div id='m-with_jht'></div></div>";
    h += field("months_paid", "<select id='months_paid'>" + options(months, "1").replace("<option value=''>" + esc(t("choose")) + "</option>", "") + "</select>");
    h += "<div id='fee'></div>";
    h += "<label>" + esc(t("notice")) + " <span class='hint'>(" + esc(t("notice_version")) + " " + esc(R.notice.version) + ")</span></label>";
    h += "<div id='notice'>" + esc(R.notice[lang]) + "</div>";
    h += "<div class='f' id='f-consent'><div class='check'><input type='checkbox' id='consent'><label for='consent'>" + esc(t("consent")) + "</label></div><div id='m-consent'></div></div>";
    h += "<div id='top-error' style='display:none'></div>";
    h += "<button type='button' class='main' id='make'>" + esc(t("make")) + "</button>";
    el("app").innerHTML = h;
    if (s) { for (k in s) if (s.hasOwnProperty(k) && el(k)) { if (el(k).type === "checkbox") el(k).checked = s[k]; else el(k).value = s[k]; } }
    else loadDraft();
    for (k = 0; k < FIELDS.length; k++) bind(FIELDS[k]);
    el("make").onclick = make;
    show(false);
  }

  function bind(name) {
    var input = el(name);
    var changed = function () {
      if (name === "nik") {
        var info = parseNik(input.value);
        if (!info.error) {
          if (!el("birth_date").value || touched.nik_birth) {
            var p = info.birth.split("-"); el("birth_date").value = p[2] + "-" + p[1] + "-" + p[0]; touched.nik_birth = 1;
          }
          if (info.district && !el("district_code").value) el("district_code").value = info.district;
        }
      }
      if (name === "birth_date") touched.nik_birth = 0;
      saveDraft(); show(false);
    };
    input.onchange = function () { touched[name] = 1; changed(); };
    input.onblur = function () { touched[name] = 1; show(false); };
    input.oninput = changed;
    if (input.type === "checkbox") input.onclick = function () { touched[name] = 1; changed(); };
  }

  function b32(bytes) {
    var A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", out = "", bits = 0, value = 0, k;
    for (k = 0; k < bytes.length; k++) {
      value = (value << 8) | bytes[k]; bits += 8;
      while (bits >= 5) { out += A.charAt((value >>> (bits - 5)) & 31); bits -= 5; }
      value &= 255;
    }
    if (bits > 0) out += A.charAt((value << (5 - bits)) & 31);
    return out;
  }
  function utf8(text) {
    var s = unescape(encodeURIComponent(text)), b = new Uint8Array(s.length);
    for (var k = 0; k < s.length; k++) b[k] = s.charCodeAt(k);
    return b;
  }

  function seal(plain) {
    var key = atob(CONFIG.key), pk = new Uint8Array(32), k;
    for (k = 0; k < 32; k++) pk[k] = key.charCodeAt(k);
    var pair = nacl.box.keyPair(), nonce = nacl.randomBytes(24);
    var box = nacl.box(utf8(JSON.stringify(plain)), nonce, pk, pair.secretKey);
    var all = new Uint8Array(32 + 24 + box.length);
    all.set(pair.publicKey, 0); all.set(nonce, 32); all.set(box, 56);
    return "PRA1:" + CONFIG.key_id + ":" + b32(all);
  }

  function collect(s) {
    var f = {nik: s.nik.replace(/[\s.\-]+/g, ""), full_name: s.full_name.replace(/\s+/g, " ").replace(/^ | $/g, ""),
             phone: s.phone, declared_income: +s.declared_income, with_jht: s.with_jht, months_paid: +s.months_paid};
    var birth = checkBirth(s.birth_date);
    if (birth) f.birth_date = birth;
    if (s.address.replace(/\s/g, "")) f.address = s.address;
    if (s.district_code) f.district_code = s.district_code;
    if (s.occupation) f.occupation = s.occupation;
    return f;
  }

  function make() {
    var v = show(true), bad = false, k;
    for (k in v) if (v.hasOwnProperty(k) && v[k][0] === "err") bad = true;
    var top = el("top-error");
    if (bad) { top.style.display = "block"; top.innerHTML = esc(t("fix")); top.scrollIntoView && top.scrollIntoView(); return; }
    top.style.display = "none";
    var s = read(), xhr = new XMLHttpRequest();
    if (ticket) return showQr(s, ticket);
    xhr.open("GET", "tiket", true);
    xhr.timeout = 10000;
    xhr.onload = function () {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (ignore) {}
      if (xhr.status === 200 && answer && answer.ticket) { ticket = answer.ticket; return showQr(s, ticket); }
      top.style.display = "block";
      top.innerHTML = esc(xhr.status === 429 && answer ? msg("selfreg.rate_limited", {seconds: answer.retry_after}) : t("ticket_fail"));
    };
    xhr.onerror = xhr.ontimeout = function () { top.style.display = "block"; top.innerHTML = esc(t("ticket_fail")); };
    xhr.send();
  }

  function showQr(s, issued) {
    var text = seal({v: 1, t: issued, n: R.notice.version, f: collect(s)});
    var qr = qrcode(0, "L");
    qr.addData(text, "Alphanumeric");
    qr.make();
    var short = issued.split(".")[0].substring(0, 8);
    short = short.substring(0, 4) + "-" + short.substring(4);
    var h = "<h1>" + esc(t("show")) + "</h1><div id='qr' data-text='" + esc(text) + "'>" + qr.createImgTag(6, 12) + "</div>";
    h += "<div class='hint' style='text-align:center'>" + esc(t("code")) + "</div><div id='short'>" + esc(short) + "</div>";
    h += "<button type='button' class='second' id='edit'>" + esc(t("edit")) + "</button>";
    h += "<button type='button' class='second' id='done'>" + esc(t("done")) + "</button>";
    var keep = el("app").innerHTML, values = read();
    el("app").innerHTML = h;
    el("edit").onclick = function () {
      el("app").innerHTML = keep;
      for (var k in values) if (values.hasOwnProperty(k) && el(k)) { if (el(k).type === "checkbox") el(k).checked = values[k]; else el(k).value = values[k]; }
      for (k = 0; k < FIELDS.length; k++) bind(FIELDS[k]);
      el("make").onclick = make; show(true);
    };
    el("done").onclick = function () { try { localStorage.removeItem(DRAFT); } catch (ignore) {} location.reload(); };
    window.scrollTo(0, 0);
  }

  function setLang(l) {
    lang = l; document.documentElement.lang = l;
    el("lang-id").className = l === "id" ? "on" : ""; el("lang-en").className = l === "en" ? "on" : "";
    if (el("make")) renderForm();
  }
  el("lang-id").onclick = function () { setLang("id"); };
  el("lang-en").onclick = function () { setLang("en"); };
  renderForm();
  window.PRAREG = {parseNik: parseNik, checkPhone: checkPhone, checkName: checkName};
})();
