"""The essay columns of a campaign's figures (study/selectors.CampaignFigures): which measures
count them, and their tally on the list of campaigns. The essays app installs them into study
(apps.py): study imports nothing from essays."""

from dangvu.essays.models import Essay, EssayStatus, ReturnReason
from dangvu.study.measures import members_under
from dangvu.study.selectors import EssayColumns

# a column of CampaignFigures (or a reason an essay was returned for) → the measure counting it
KEYS = {"required": "study.essays_required", "submitted": "study.essays_submitted",
        "passed": "study.essays_passed", "awaiting": "study.essays_awaiting",
        "returned_now": "study.essays_returned_now",
        ReturnReason.THIN: "study.essays_returned_thin", ReturnReason.COPIED: "study.essays_returned_copied",
        ReturnReason.OTHER: "study.essays_returned_other"}


def campaign_tally(campaigns, unit, members: dict[int, list[int]]) -> dict[int, dict]:
    """Each campaign's essay columns on the list of campaigns, of the members `members` names for
    it (campaign id → the members eligible where the list counts them): essays asked for,
    handed in, passed, awaiting review, returned now, and ever returned by reason. One query."""
    essays = {(c, m): (status, was_returned, reason) for c, m, status, was_returned, reason in
              Essay.objects.filter(campaign__in=campaigns, member_id__in=members_under(unit))
              .values_list("campaign_id", "member_id", "status", "was_returned", "return_reason")}
    out = {}
    for campaign in campaigns:
        eligible = members.get(campaign.pk, [])
        t = {"required": len(eligible) if campaign.essay_required else 0, "submitted": 0, "passed": 0,
             "awaiting": 0, "returned_now": 0, "returned": {r: 0 for r in ReturnReason.values}}
        for m in eligible if campaign.essay_required else []:
            essay = essays.get((campaign.pk, m))
            if essay is None:
                continue
            status, was_returned, reason = essay
            t["submitted"] += 1
            t["passed"] += status == EssayStatus.PASSED
            t["returned_now"] += status == EssayStatus.RETURNED
            t["awaiting"] += status in (EssayStatus.SUBMITTED, EssayStatus.RESUBMITTED)
            if was_returned and reason:
                t["returned"][reason] += 1
        out[campaign.pk] = t
    return out


COLUMNS = EssayColumns(reasons=tuple(ReturnReason.values), keys=KEYS, tally=campaign_tally)
