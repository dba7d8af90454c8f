"""The live contribution panel of the registration form.

It shows each program's monthly amount, the discount and its legal basis, the
monthly total, and the amount to pay now when months are paid ahead (month by
month where the amount changes: "Desember 2026: Rp8.400; Januari–November 2027:
11 × Rp16.800"), all as `Rp16.800`; for a wage earner also which programmes
apply and why.  It only displays what the form computed; no rules here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from bpjs_field.domain.contribution import Contribution
from bpjs_field.domain.formatting import format_rupiah
from bpjs_field.domain.plan import PaymentPlan, month_span
from bpjs_field.domain.programs import ProgramSet
from ui.style import set_role

class ContributionPanel(QFrame):
    """Shows a Contribution (or why none can be computed yet)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contributionPanel")
        set_role(self, "card")
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Monthly contribution"))
        set_role(title, "subtitle")
        layout.addWidget(title)
        self.grid = QGridLayout()
        self.grid.setColumnStretch(0, 1)
        layout.addLayout(self.grid)
        self.total = QLabel()
        self.total.setObjectName("contributionTotal")
        self.total.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.total.setAlignment(Qt.AlignRight)
        # "Total for December 2026: Rp53.400" is wider than the panel at 1366 px: it wraps
        # rather than being cut on the left.
        self.total.setWordWrap(True)
        layout.addWidget(self.total)
        self.note = QLabel()
        self.note.setWordWrap(True)
        set_role(self.note, "hint")
        layout.addWidget(self.note)
        self.show_contribution(None)

    def _clear(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()

    def show_contribution(self, contribution: Contribution | None, *,
                          plan: PaymentPlan | None = None, reason: str = "",
                          programs: ProgramSet | None = None, lang: str = "id") -> None:
        self._clear()
        if contribution is None:
            self.total.setText("")
            self.note.setText(reason or self.tr("Fill in income or wage to see the contribution."))
            return
        employer_split = any(line.paid_by == "pekerja" for line in contribution.lines)
        for row, line in enumerate(contribution.lines):
            name = line.program
            if line.percent:
                name += f" {line.percent.replace('.', ',')}%"
            if employer_split:
                name += " · " + (self.tr("employer") if line.paid_by == "pemberi_kerja"
                                 else self.tr("worker"))
            self.grid.addWidget(QLabel(name), row, 0)
            amount = QLabel(format_rupiah(line.net))
            amount.setAlignment(Qt.AlignRight)
            if line.discount:
                amount.setText(f"<s>{format_rupiah(line.amount)}</s>  {format_rupiah(line.net)}")
            self.grid.addWidget(amount, row, 1)
        if plan is not None and plan.changes:
            self.total.setText(self.tr("Total for {month}: {amount}").format(
                month=month_span(contribution.period, contribution.period, lang),
                amount=format_rupiah(contribution.total)))
        else:
            self.total.setText(self.tr("Total per month: {amount}").format(
                amount=format_rupiah(contribution.total)))
        notes = []
        if contribution.discount:
            notes.append(self.tr("Discount {basis}: {amount} off JKK and JKM.").format(
                basis=contribution.discount_basis or "", amount=format_rupiah(contribution.discount)))
        if employer_split:
            notes.append(self.tr("Employer pays {employer}, worker pays {worker}.").format(
                employer=format_rupiah(contribution.employer_total),
                worker=format_rupiah(contribution.worker_total)))
        if plan is not None and plan.months > 1:
            notes.append(self.tr("To pay now for {months} months ({span}): {amount}.").format(
                months=plan.months, span=month_span(plan.first, plan.last, lang),
                amount=format_rupiah(plan.total)))
            if plan.changes:
                notes.append(self.tr("Month by month: {runs}.").format(runs=plan.describe(lang)))
        if programs is not None:
            notes += [("✓ " if r.applies else "– ") + r.text(lang) for r in programs.reasons]
        self.note.setText("\n".join(notes))

    def total_text(self) -> str:
        return self.total.text()
