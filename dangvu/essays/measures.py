"""Essay figures (study.essays_*): asked for, handed in, awaiting review, passed, returned by
reason, counted where the writer took part in the campaign, from the same participation map as
the campaign figures."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangvu.essays.models import Essay, EssayStatus, ReturnReason
from dangvu.lib.measures import Column, Query, memoised
from dangvu.lib.rollup import count_weighted, group_tallied
from dangvu.study import participation as participation_rule
from dangvu.study.measures import (
    as_values,
    campaigns_reaching,
    members_by_id,
    members_under,
    participation,
    reaching,
    study_measure,
)

ESSAYS = _("essays")


@dataclass
class _RequiredRow:
    member: object
    campaign: str
    status: str | None
    pk: int




# Each (campaign, member) pair asked for an essay, with its essay's facts (none: not handed
# in), tallied by the database per unit where the member took part: a pair at one unit counted
# there with the others (the rows with no member), a pair at several given a row a unit.
_PAIRS = """
WITH places AS (SELECT DISTINCT p.campaign_id, p.member_id, p.path FROM ({places}) p),
pairs AS (SELECT campaign_id, member_id, MIN(path) AS path, COUNT(*) AS n FROM places
          GROUP BY campaign_id, member_id)
SELECT pr.path, e.status, e.was_returned, e.return_reason, COUNT(*), NULL, NULL
FROM pairs pr LEFT JOIN essays_essay e ON e.campaign_id = pr.campaign_id AND e.member_id = pr.member_id
WHERE pr.n = 1
GROUP BY pr.path, e.status, e.was_returned, e.return_reason
UNION ALL
SELECT pl.path, e.status, e.was_returned, e.return_reason, 1, pl.campaign_id, pl.member_id
FROM places pl JOIN pairs pr ON pr.campaign_id = pl.campaign_id AND pr.member_id = pl.member_id
LEFT JOIN essays_essay e ON e.campaign_id = pl.campaign_id AND e.member_id = pl.member_id
WHERE pr.n > 1"""


def _essays_by_units(q: Query) -> list:
    """The pairs asked for an essay, tallied: (the units where their writers took part, with
    their ancestors, each once; (status, returned before, reason), the status None for no essay
    handed in; how many), one entry per distinct kind, so that each essay figure reads a few
    entries, not 300,000 essays. Worked out once per compute_all."""
    def compute():
        ids = [c.pk for c in reaching(q) if c.essay_required]
        if not ids:
            return []
        places, params = participation_rule.participation_sql(ids, q.unit)
        rows = participation_rule.fetch(_PAIRS.format(places=places), params)
        return group_tallied(((path, (c, m) if c is not None else None, (status, bool(returned), reason), n)
                              for path, status, returned, reason, n, c, m in rows), q)
    return memoised(("essays", q), compute)


def _essay_measure(test):
    def compute(q: Query):
        return as_values(count_weighted((units, n) for units, facts, n in _essays_by_units(q)
                                        if facts[0] is not None and test(*facts)))
    return compute


def _required_counts(q: Query) -> dict[str, int]:
    return memoised(("required", q), lambda: count_weighted((units, n) for units, _f, n in _essays_by_units(q)))


def _submitted_at(q: Query) -> dict[str, int]:
    return memoised(("submitted", q), lambda: count_weighted((units, n) for units, facts, n in _essays_by_units(q)
                                                               if facts[0] is not None))


def _not_submitted(q: Query):
    submitted = _submitted_at(q)
    missing = {path: n - submitted.get(path, 0) for path, n in _required_counts(q).items()}
    return as_values({path: n for path, n in missing.items() if n})


def _required(q: Query):
    return as_values(_required_counts(q))


def essays_taking_part(unit, campaigns):
    """Essays whose writer took part in the essay's campaign under `unit` (the rule of
    `participation`, for the rows pages)."""
    sql, params = campaigns.order_by().values("id").query.sql_with_params()
    return Essay.objects.filter(pk__in=participation_rule.rows_of_members(
        Essay._meta.db_table, "campaign_id", (sql, params), unit))


def _essay_rows(filter_q: Q):
    def rows(unit, period):
        campaigns = campaigns_reaching(unit, period).filter(essay_required=True)
        return (essays_taking_part(unit, campaigns).filter(filter_q)
                .select_related("member", "campaign").order_by("campaign_id", "member__sort_key", "id"))
    return rows


def _required_rows(unit, period):
    p = participation(Query(unit, period))
    required = {c.pk for c in p.campaigns if c.essay_required}
    pairs = sorted({(c, m) for _path, c, m in p.pairs(required)})
    members = {m.pk: m for m in members_by_id({m for _c, m in pairs})}
    essays = dict(((c, m), s) for c, m, s in Essay.objects.filter(campaign_id__in=required,
                                                                   member_id__in=members_under(unit))
                  .values_list("campaign_id", "member_id", "status"))
    titles = {c.pk: c.title for c in p.campaigns}
    return [_RequiredRow(members.get(m), titles[c], essays.get((c, m)), m) for c, m in pairs]


ESSAY_COLUMNS = [Column("member_id", _("member id"), lambda e: e.member_id),
                 Column("full_name", _("Full name"), lambda e: e.member.full_name),
                 Column("campaign", _("study campaign"), lambda e: e.campaign.title),
                 Column("status", _("status"), lambda e: e.get_status_display()),
                 Column("reason", _("reason"), lambda e: e.get_return_reason_display() if e.was_returned else "")]


def essay_study_measure(*args, **extra) -> None:
    """A study measure read from the essays (and the campaigns): the figure store counts it again
    after a change to an essay, which leaves the study area's other figures kept."""
    study_measure(*args, source="essays", **extra)


essay_study_measure("study.essays_required", _("Essays asked for"),
       _("One essay (bài thu hoạch) for each eligible member of each campaign in the period that asks for one."),
       ESSAYS, _required, _required_rows,
       [Column("member_id", _("member id"), lambda r: r.pk),
        Column("full_name", _("Full name"), lambda r: r.member.full_name if r.member else ""),
        Column("campaign", _("study campaign"), lambda r: r.campaign),
        Column("status", _("status"), lambda r: str(EssayStatus(r.status).label) if r.status else _("Not submitted"))],
       row_id=lambda r: r.pk)
essay_study_measure("study.essays_submitted", _("Essays submitted"),
       _("Essays handed in (passed, awaiting review or returned now); submitted plus not submitted is asked for."),
       ESSAYS, _essay_measure(lambda status, was_returned, reason: True), _essay_rows(Q()), ESSAY_COLUMNS)
essay_study_measure("study.essays_not_submitted", _("Essays not submitted"),
       _("Essays asked for and not handed in; asked for = submitted + not submitted."),
       ESSAYS, _not_submitted,
       lambda u, p: [r for r in _required_rows(u, p) if r.status is None],
       [Column("member_id", _("member id"), lambda r: r.pk),
        Column("full_name", _("Full name"), lambda r: r.member.full_name if r.member else ""),
        Column("campaign", _("study campaign"), lambda r: r.campaign)], row_id=lambda r: r.pk)
essay_study_measure("study.essays_awaiting", _("Essays awaiting review"),
       _("Essays submitted or resubmitted and not yet decided; submitted = passed + awaiting + returned now."),
       ESSAYS, _essay_measure(lambda status, was_returned, reason: status in (EssayStatus.SUBMITTED,
                                                                             EssayStatus.RESUBMITTED)),
       _essay_rows(Q(status__in=[EssayStatus.SUBMITTED, EssayStatus.RESUBMITTED])), ESSAY_COLUMNS)
essay_study_measure("study.essays_returned_now", _("Essays returned, not yet resubmitted"),
       _("Essays returned for rework and not handed in again yet."),
       ESSAYS, _essay_measure(lambda status, was_returned, reason: status == EssayStatus.RETURNED),
       _essay_rows(Q(status=EssayStatus.RETURNED)), ESSAY_COLUMNS)
essay_study_measure("study.essays_passed", _("Essays passed"),
       _("Essays accepted (đạt), those passed after rework included."),
       ESSAYS, _essay_measure(lambda status, was_returned, reason: status == EssayStatus.PASSED),
       _essay_rows(Q(status=EssayStatus.PASSED)), ESSAY_COLUMNS)
essay_study_measure("study.essays_passed_after_rework", _("Essays passed after rework"),
       _("Of the essays passed, those that had been returned for rework first."),
       ESSAYS, _essay_measure(lambda status, was_returned, reason: status == EssayStatus.PASSED and was_returned),
       _essay_rows(Q(status=EssayStatus.PASSED, was_returned=True)), ESSAY_COLUMNS)
for reason, name, label, definition in (
        (ReturnReason.THIN, "thin", _("Essays returned as thin"),
         _("Essays returned for rework at least once as written too thinly (sơ sài), whatever their status now.")),
        (ReturnReason.COPIED, "copied", _("Essays returned as copied"),
         _("Essays returned for rework at least once as copied (sao chép), whatever their status now.")),
        (ReturnReason.OTHER, "other", _("Essays returned for another reason"),
         _("Essays returned for rework at least once for another reason, whatever their status now."))):
    essay_study_measure(f"study.essays_returned_{name}", label, definition, ESSAYS, _essay_measure(lambda status, was_returned, r, reason=reason: was_returned and r == reason),
           _essay_rows(Q(was_returned=True, return_reason=reason)), ESSAY_COLUMNS)
