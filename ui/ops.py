"""The GUI's data-changing operations, and the one notice of what they changed.

Every change the officer makes from the GUI (a registration, a check-in, an edit,
an erasure, a follow-up status, a print, an event, a setting, an account) goes
through one method of `Ops`: the work runs on the database executor
(ui/tasks.py), and when it has succeeded `Ops` announces a `Changes` naming the
kinds of data and the ids that changed, then hands the result to the caller.
What sync changes here is announced the same way: a round with the branch
server from its result (`Ops.synced`: what it pulled, and the changes waiting to
be sent), a round with the event hub from its link (`Ops.pulled`).  So every
page refreshes from the one `changed` signal, whoever changed the data (Anki's
CollectionOp and OpChanges).

There is one `Ops` per executor (`Ops.for_executor`), like the sync controller: it
outlives a window rebuilt for a language change, and the window's `AppContext`
relays its notices to the pages (`AppContext.data_changed`).

Signals:
    changed(Changes): data changed on this laptop; pages refresh only their part.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from ui.tasks import DbExecutor, Done, Failed, one_per_executor

LOCAL, SYNC, HUB = "local", "sync", "hub"


@dataclass(frozen=True)
class Changes:
    """What an operation changed (Anki's OpChanges): the kinds of data, and where known
    the ids (an empty id set with its kind set means "some, not listed": a pull)."""

    people: bool = False
    registrations: bool = False
    attendance: bool = False
    events: bool = False
    settings: bool = False
    officers: bool = False  # the accounts that may log in on this laptop
    prints: bool = False  # the print log (receipts, brochures, event papers)
    pending: bool = False  # the changes waiting to be sent to the branch server
    event_id: str | None = None
    person_ids: frozenset[str] = field(default_factory=frozenset)
    registration_ids: frozenset[str] = field(default_factory=frozenset)
    origin: str = LOCAL  # LOCAL (this laptop's officer), SYNC (branch server) or HUB

    @classmethod
    def pulled(cls, origin: str = SYNC) -> "Changes":
        """A pull applies rows of every kind in pages, so every kind is announced."""
        return cls(people=True, registrations=True, attendance=True, events=True, origin=origin)


def _ids(*values: Any) -> frozenset[str]:
    return frozenset(v for v in values if v)


def pulled_changes(result: Any) -> Changes | None:
    """What a sync round (`SyncResult`) brought onto this laptop; None if nothing came in."""
    stats = result.apply
    if not (stats.applied or stats.merged or stats.deleted or result.merged):
        return None
    return Changes.pulled(SYNC)


def sync_changes(result: Any) -> Changes | None:
    """Everything a finished sync round changed here: what it brought in, and the changes
    waiting to be sent when it sent (or parked) some; None if it changed nothing."""
    pulled = pulled_changes(result)
    sent = bool(result.pushed or result.duplicates or result.refused or result.quarantined)
    if pulled is None:
        return Changes(pending=True, origin=SYNC) if sent else None
    return replace(pulled, pending=sent)


class Ops(QObject):
    changed = Signal(object)

    def __init__(self, executor: DbExecutor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor
        self._followed: set[int] = set()

    @classmethod
    def for_executor(cls, executor: DbExecutor) -> "Ops":
        """The one `Ops` of this executor (every window and page built on it shares it)."""
        return one_per_executor(executor, "ops", lambda: cls(executor, executor))

    # -- the notice ------------------------------------------------------------------------
    def announce(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def pulled(self, changes: Changes | None = None) -> None:
        """The hub's link applied rows from the other laptops (its `data_pulled`)."""
        self.announce(changes if changes is not None else Changes.pulled())

    def synced(self, result: Any) -> None:
        """A round with the branch server finished (the sync controller's `sync_finished`)."""
        changes = sync_changes(result)
        if changes is not None:
            self.announce(changes)

    def follow(self, *controllers: QObject) -> None:
        """Announce what these controllers change here: a sync controller's finished rounds
        (what they pulled and sent), a hub controller's pulls.  Both live as long as the
        executor, as this object does, so once is enough."""
        for controller in controllers:
            if id(controller) in self._followed:
                continue
            self._followed.add(id(controller))
            finished = getattr(controller, "sync_finished", None)
            if finished is not None:
                finished.connect(self.synced)
            else:
                controller.data_pulled.connect(self.pulled)

    def _run(self, work: Callable[[Any], Any], notice: Callable[[Any], Changes | None],
             on_done: Done | None, on_error: Failed | None) -> None:
        """Run `work(store)` on the executor; on success announce `notice(result)` (unless
        None: nothing changed), then give the result to `on_done`."""
        def done(result: Any) -> None:
            changes = notice(result)
            if changes is not None:
                self.announce(changes)
            if on_done is not None:
                on_done(result)

        self.executor.run(work, done, on_error)

    # -- registration and the door -------------------------------------------------------
    def save_registration(self, form: Any, *, check_in: bool, draft: str | None = None,
                          on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Register (and maybe check in); the form's draft is cleared in the same job."""
        def work(store):
            result = store.registrations.register(form, check_in=check_in)
            if draft is not None:
                store.clear_draft(draft)
            return result

        def notice(result) -> Changes:
            reg = result.registration
            return Changes(people=result.person_created, registrations=True,
                           attendance=result.checked_in, event_id=reg["event_id"],
                           person_ids=_ids(result.person["id"]), registration_ids=_ids(reg["id"]))

        self._run(work, notice, on_done, on_error)

    def check_in(self, event_id: str, person_id: str, method: str = "search", *,
                 with_registration: bool = False, on_done: Done | None = None,
                 on_error: Failed | None = None) -> None:
        """Check a person in at the event; `with_registration` adds the registration the
        door shows (its segment)."""
        def work(store):
            result = store.attendance.check_in(event_id, person_id, method)
            if with_registration:
                from bpjs_field.store import views
                result.registration = views.registration_for_person(store, person_id)
            return result

        self._run(work, lambda result: _checked_in(event_id, result), on_done, on_error)

    def check_in_code(self, event_id: str, text: str, *, on_done: Done | None = None,
                      on_error: Failed | None = None) -> None:
        """The door scanner: a registration code, as scanned or typed."""
        self._run(lambda s: s.attendance.check_in_code(event_id, text),
                  lambda result: _checked_in(event_id, result), on_done, on_error)

    def undo_check_in(self, attendance_id: str, event_id: str | None, *, person_id: str | None = None,
                      on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Take back this laptop's check-in; `on_done` gets what the undo did
        (`AttendanceRepo.undo`)."""
        self._run(lambda s: s.attendance.undo(attendance_id, event_id=event_id, person_id=person_id),
                  lambda ok: Changes(attendance=True, event_id=event_id) if ok else None,
                  on_done, on_error)

    # -- people and their registrations --------------------------------------------------------
    def edit_person(self, person_id: str, changes: dict[str, Any], *,
                    on_done: Done | None = None, on_error: Failed | None = None) -> None:
        self._run(lambda s: s.people.update(person_id, changes),
                  lambda person: Changes(people=True, person_ids=_ids(person_id)),
                  on_done, on_error)

    def erase_person(self, person_id: str, *, withdrawn: bool = False,
                     on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Erase a person's personal data (or record withdrawn consent, which erases too)."""
        def work(store):
            from bpjs_field.store.erasure import erase_person, withdraw_consent
            return withdraw_consent(store, person_id) if withdrawn else erase_person(store, person_id)

        self._run(work, lambda _p: Changes(people=True, person_ids=_ids(person_id)),
                  on_done, on_error)

    def record_status(self, registration_id: str, change: Any, *, on_done: Done | None = None,
                      on_error: Failed | None = None) -> None:
        """A registration's follow-up status (submitted, KPJ, paid, stopped)."""
        def work(store):
            from bpjs_field.store.followup import set_status
            return set_status(store, registration_id, change)

        self._run(work, lambda reg: Changes(registrations=True, person_ids=_ids(reg.get("person_id")),
                                            registration_ids=_ids(registration_id)),
                  on_done, on_error)

    def log_print(self, job: Any, *, printer: str | None, copies: int = 1,
                  on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Record a document the printer took (the result is its print-log row; a receipt
        printed again is then a copy, SALINAN)."""
        def work(store):
            from bpjs_field.printing import documents
            return documents.log_job(store, job, copies=copies, printer=printer)[0]

        subject = job.subject_id if job.document.startswith("receipt.") else None
        self._run(work, lambda _row: Changes(prints=True, registration_ids=_ids(subject)),
                  on_done, on_error)

    # -- events ----------------------------------------------------------------
    def save_event(self, event_id: str | None, data: dict[str, Any], *,
                   on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Create an event (`event_id` None) or update one."""
        def work(store):
            if event_id is not None:
                return store.events.update(event_id, data)
            return store.events.create(data)

        self._run(work, lambda event: Changes(events=True, event_id=event["id"]), on_done, on_error)

    def activate_event(self, event_id: str, *, on_done: Done | None = None,
                       on_error: Failed | None = None) -> None:
        """Make the event the active one; the result is the active event (or None)."""
        def work(store):
            store.events.set_active(event_id)
            return store.events.active()

        self._run(work, lambda event: Changes(settings=True, event_id=event["id"] if event else None),
                  on_done, on_error)


    # -- sync -------------------------------------------------------------------------------
    def settle_conflict(self, http_factory: Callable[[], Any], conflict_id: int, choice: str,
                        shown_hlc: str | None, *, on_done: Done | None = None,
                        on_error: Failed | None = None) -> None:
        """A supervisor's decision on a sync conflict; "use the other value" edits the person
        (or event) on this laptop at once."""
        from bpjs_field.sync.conflicts import USE_OTHER, begin

        def work(store):
            with http_factory() as http:
                return begin(store, http, conflict_id, choice, shown_hlc=shown_hlc)

        def notice(entry: dict[str, Any]) -> Changes | None:
            if choice != USE_OTHER:
                return None  # keeping the current value changes nothing here
            person = entry.get("entity") == "person"
            return Changes(people=person, events=not person,
                           person_ids=_ids(entry.get("entity_id")) if person else frozenset())

        self._run(work, notice, on_done, on_error)

    def enrol(self, url: str, employee_no: str, password: str, *, on_done: Done | None = None,
              on_error: Failed | None = None) -> None:
        """Enrol this laptop with the branch server (the result names the officer)."""
        def work(store) -> dict[str, Any]:
            from bpjs_field.sync.engine import enroll, new_http_client
            with new_http_client(read_timeout=30) as http:
                return enroll(store, http, url, employee_no, password)

        self._run(work, lambda _r: Changes(settings=True, origin=SYNC), on_done, on_error)

    def retry_refused(self, *, on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """Queue the changes the server refused again (they wait to be sent once more)."""
        from bpjs_field.sync.engine import retry_refused
        self._run(retry_refused, lambda count: Changes(pending=True) if count else None,
                  on_done, on_error)

    # -- drafts and settings ----------------------------------------------------------------
    def save_draft(self, key: str, data: dict[str, Any]) -> None:
        """Keep a half-typed form (no page shows drafts: nothing to announce)."""
        self.executor.run(lambda s: s.save_draft(key, data))

    def clear_draft(self, key: str) -> None:
        self.executor.run(lambda s: s.clear_draft(key))

    def save_settings(self, values: dict[str, Any], *, on_done: Done | None = None,
                      on_error: Failed | None = None) -> None:
        """Write settings of this laptop together (all or none)."""
        def work(store):
            with store.write():
                for key, value in values.items():
                    store.set_setting(key, value)

        self._run(work, lambda _r: Changes(settings=True), on_done, on_error)

    def change_settings(self, values: dict[str, Any], *, on_done: Done | None = None,
                        on_error: Failed | None = None) -> None:
        """The laptop's settings that are a supervisor's (backups kept, idle lock, printing
        after a save): the core refuses an officer and audits the refusal."""
        def work(store):
            from bpjs_field.store import views
            views.change_settings(store, values)

        self._run(work, lambda _r: Changes(settings=True), on_done, on_error)

    def save_targets(self, branch: str, year: int, values: dict[str, Any], *,
                     on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """The branch's annual targets for `year` (a supervisor's; the core refuses others)."""
        def work(store):
            from bpjs_field.reporting.targets import set_targets
            return set_targets(store, branch=branch, year=year, **values)

        self._run(work, lambda _r: Changes(settings=True), on_done, on_error)

    def save_receipt_printer(self, settings: Any, *, on_done: Done | None = None,
                             on_error: Failed | None = None) -> None:
        """The ESC/POS receipt printer of this laptop (`PrinterSettings`)."""
        def work(store):
            from bpjs_field.printing.escpos_link import save_settings
            return save_settings(store, settings)

        self._run(work, lambda _r: Changes(settings=True), on_done, on_error)

    # -- the officers of this laptop ----------------------------------------------------------
    def add_account(self, *, employee_no: str, full_name: str, role: str, password: str,
                    confirm: str, on_done: Done | None = None,
                    on_error: Failed | None = None) -> None:
        """A supervisor adds an account to this laptop (the result is the account)."""
        def work(store):
            from bpjs_field.security import session
            return session.add_account(store, employee_no=employee_no, full_name=full_name,
                                       branch=None, role=role, password=password, confirm=confirm)

        self._run(work, lambda _a: Changes(officers=True), on_done, on_error)

    def reset_password(self, employee_no: str, password: str, confirm: str, role: str, *,
                       on_done: Done | None = None, on_error: Failed | None = None) -> None:
        """A supervisor sets a new password (and role) for an officer who forgot theirs."""
        def work(store):
            from bpjs_field.security import session
            return session.reset_password(store, employee_no, password, confirm, role)

        self._run(work, lambda _a: Changes(officers=True), on_done, on_error)

    # -- the officer of a laptop without accounts ---------------------------------------------
    def setup_officer(self, values: dict[str, Any], *, on_done: Done | None = None,
                      on_error: Failed | None = None) -> None:
        """First start, or another officer on a laptop without accounts."""
        from bpjs_field.store import views
        self._run(lambda s: views.setup_officer(s, **values), lambda _o: Changes(settings=True),
                  on_done, on_error)


def _checked_in(event_id: str | None, result: Any) -> Changes | None:
    from bpjs_field.store.attendance import CHECKED_IN
    if result.status != CHECKED_IN:
        return None  # already checked in, or unknown: nothing changed
    person = result.person or {}
    return Changes(attendance=True, event_id=event_id, person_ids=_ids(person.get("id")))
