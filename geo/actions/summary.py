"""How the Strategy is going, from the actions store: the figures of the strategy dashboard.

Every figure counts the live (not deleted) actions, related initiatives included (their kind
is counted too, so a page can say how many of an amount are not strategy actions):

- per pillar (and for actions without a pillar): the count, the count per status (``None``: not
  known), per lead organisation (its record's id; ``None``: not stated), per partner
  organisation (an action counts once under each of its partners), per kota (an action
  touching kelurahan of two kota counts in both; one touching none counts under ``None``), the
  total budget of the actions that state one, and the mean progress of those that state one;
- per month (UTC): how many actions were created (their first version) and how many were
  completed (the first version whose status is ``done``), from the history.

And per organisation (the organisation pages): the live actions it leads and those it is a
partner in (:func:`of_organisation`, :func:`by_organisation`), counted per pillar and status.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from geo.actions.organisations import Organisation
from geo.actions.records import Action, ActionFilter, as_utc
from geo.actions.service import ActionService
from geo.vocabulary import OrgRole

NO_PILLAR = None
"""The group of actions without a pillar (related initiatives whose source names none)."""
DONE = "done"


@dataclass
class PillarActions:
    """The actions of one pillar (or of none)."""

    pillar: str | None
    count: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str | None] = field(default_factory=Counter)
    by_lead_org: Counter[str | None] = field(default_factory=Counter)
    by_partner_org: Counter[str] = field(default_factory=Counter)
    by_kota: Counter[str | None] = field(default_factory=Counter)
    budget_idr: int = 0
    with_budget: int = 0
    progress_sum: int = 0
    with_progress: int = 0

    @property
    def mean_progress(self) -> float | None:
        """Mean progress (percent) of the actions that state one, None when none does."""
        return None if not self.with_progress else self.progress_sum / self.with_progress

    def add(self, action: Action) -> None:
        """Count one action."""
        props = action.props
        self.count += 1
        self.by_kind[str(props.get("kind") or "action")] += 1
        self.by_status[props.get("status")] += 1
        self.by_lead_org[props.get("lead_org_id")] += 1
        for partner in props.get("partner_org_ids") or []:
            self.by_partner_org[partner] += 1
        kota = sorted({code[:5] for code in action.kelurahan})
        keys: list[str | None] = [*kota] if kota else [None]
        for k in keys:
            self.by_kota[k] += 1
        if props.get("budget_idr") is not None:
            self.budget_idr += int(props["budget_idr"])
            self.with_budget += 1
        if props.get("progress") is not None:
            self.progress_sum += int(props["progress"])
            self.with_progress += 1


@dataclass
class ActionsSummary:
    """The dashboard's figures (see the module docstring)."""

    pillars: dict[str | None, PillarActions]
    months: list[dict[str, Any]]
    total: int
    organisations: dict[str, Organisation] = field(default_factory=dict)
    """The organisations by id (those the counts name, and every other)."""

    def of(self, pillar: str | None) -> PillarActions:
        """The figures of one pillar (an empty group when it has no action)."""
        return self.pillars.get(pillar) or PillarActions(pillar)


def _months(rows: Iterable[Any], live: set[str]) -> list[dict[str, Any]]:
    created: Counter[str] = Counter()
    completed: Counter[str] = Counter()
    done_seen: set[str] = set()
    for row in rows:  # oldest version first within each action
        if row.action_id not in live:
            continue
        month = as_utc(row.changed_at).strftime("%Y-%m")
        if row.version == 1:
            created[month] += 1
        status = (row.snapshot.get("properties") or {}).get("status")
        if status == DONE and row.action_id not in done_seen:
            done_seen.add(row.action_id)
            completed[month] += 1
    return [
        {"month": m, "created": created[m], "completed": completed[m]}
        for m in sorted(set(created) | set(completed))
    ]


def summarise(store: ActionService, pillars: Iterable[str]) -> ActionsSummary:
    """Count the live actions of the store for the dashboard.

    Parameters
    ----------
    store : ActionService
        The actions store.
    pillars : iterable of str
        The pillars to report (each gets a group even without actions).

    Returns
    -------
    ActionsSummary
    """
    actions, total = store.query(ActionFilter(), limit=None)
    groups: dict[str | None, PillarActions] = {p: PillarActions(p) for p in pillars}
    for action in actions:
        pillar = action.props.get("pillar")
        groups.setdefault(pillar, PillarActions(pillar)).add(action)
    history = store.repository.all_history()
    orgs = {o.id: o for o in store.organisations.all()} if store.organisations else {}
    return ActionsSummary(groups, _months(history, {a.id for a in actions}), total, orgs)


@dataclass
class OrganisationActions:
    """What one organisation leads and is a partner in (live actions), by pillar and status."""

    organisation: Organisation
    lead: list[Action] = field(default_factory=list)
    partner: list[Action] = field(default_factory=list)

    def counts(self, role: str) -> Counter[tuple[str | None, str | None]]:
        """Actions of ``role`` (``lead`` or ``partner``) per (pillar, status)."""
        actions = self.lead if role == OrgRole.lead else self.partner
        return Counter((a.props.get("pillar"), a.props.get("status")) for a in actions)


def of_organisation(store: ActionService, org: Organisation) -> OrganisationActions:
    """The live actions ``org`` leads and those it is a partner in."""
    actions, _ = store.query(ActionFilter(org=org.id), limit=None)
    out = OrganisationActions(org)
    for action in actions:
        (out.lead if action.props.get("lead_org_id") == org.id else out.partner).append(action)
    return out


def by_organisation(store: ActionService) -> list[OrganisationActions]:
    """Every organisation with the live actions it leads and partners in, by name."""
    if store.organisations is None:
        return []
    groups = {o.id: OrganisationActions(o) for o in store.organisations.all()}
    actions, _ = store.query(ActionFilter(), limit=None)
    for action in actions:
        lead = action.props.get("lead_org_id")
        if lead in groups:
            groups[lead].lead.append(action)
        for partner in action.props.get("partner_org_ids") or []:
            if partner in groups and partner != lead:
                groups[partner].partner.append(action)
    return list(groups.values())
