"""Essay pages: a campaign's essays, one essay and its review, the office's bulk upload, the copy
check's runs and the side-by-side view, and the member's own essay (from the sổ tay)."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangvu.essays import bulk
from dangvu.essays import services as essay_services
from dangvu.essays.access import get_essay_for_user, get_own_campaign, get_scan_for_user, may_read_essay
from dangvu.essays.forms import BulkUploadForm, EssaySubmitForm, ReviewForm
from dangvu.essays.highlight import side_by_side
from dangvu.essays.models import Essay, EssayStatus, IntegrityScan
from dangvu.essays.notebook import essay_history
from dangvu.essays.tasks import SCAN
from dangvu.jobs import runner
from dangvu.lib import uploads
from dangvu.lib.forms import apply_form_errors
from dangvu.lib.keys import ESSAYS_REVIEW, STUDY_WRITE
from dangvu.lib.xlsx import xlsx_response
from dangvu.orgs.models import OrgUnit
from dangvu.orgs.scope import scope_for
from dangvu.orgs.selectors import member_search
from dangvu.study import services
from dangvu.study.access import get_campaign_for_user

STAGES = {"read": gettext_lazy("Reading essays"), "compare": gettext_lazy("Comparing"),
          "passages": gettext_lazy("Finding copied passages")}
STATUS_FILTERS = {"none": gettext_lazy("Not submitted"), **dict(EssayStatus.choices)}


def campaign_essays(request, pk):
    """Every member taking part with their essay's status; filter by status; Excel export."""
    campaign, root = get_campaign_for_user(request, pk)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")
    members = member_search(services.eligible_members(campaign, root)
                            .select_related("unit"), q)
    essays = Essay.objects.filter(campaign=campaign).only(
        "id", "member_id", "status", "return_reason", "was_returned", "submitted_at", "reviewer_note")
    if status == "none":
        members = members.exclude(pk__in=Essay.objects.filter(campaign=campaign).values("member_id"))
    elif status in EssayStatus.values:
        members = members.filter(pk__in=Essay.objects.filter(campaign=campaign, status=status).values("member_id"))
    if request.GET.get("format") == "xlsx":
        headers = [_("Full name"), _("Unit"), _("status"), _("reason"), _("submitted"), _("reviewer's note")]

        def rows():
            by_member = {e.member_id: e for e in essays.filter(member__in=services.eligible_members(campaign, root))}
            for m in members.iterator(chunk_size=2000):
                e = by_member.get(m.pk)
                yield [m.full_name, m.unit.name, e.get_status_display() if e else str(STATUS_FILTERS["none"]),
                       e.get_return_reason_display() if e and e.return_reason else "",
                       timezone.localtime(e.submitted_at).date() if e else "", e.reviewer_note if e else ""]
        return xlsx_response(f"bai-thu-hoach-{campaign.pk}.xlsx", _("Essays"), headers, rows())
    page = Paginator(members, 100).get_page(request.GET.get("page"))
    by_member = {e.member_id: e for e in essays.filter(member__in=page.object_list)}  # this page's essays only
    scope = scope_for(request)
    return render(request, "essays/essay_list.html", {
        "campaign": campaign, "root": root, "page": page, "q": q, "status": status, "filters": STATUS_FILTERS,
        "rows": [(m, by_member.get(m.pk)) for m in page], "extra_query": f"&status={status}",
        "can_upload": scope.can(STUDY_WRITE, root.path), "can_review": scope.can(ESSAYS_REVIEW, root.path)})


def essay_detail(request, pk):
    essay = get_essay_for_user(request, pk)
    scope = scope_for(request)
    can_review = scope.can(ESSAYS_REVIEW, essay.member.unit.path)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        if form.is_valid():
            try:
                essay_services.essay_review(actor=request.user, essay=essay, accept=form.cleaned_data["decision"] == "accept",
                                      reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])
            except ValidationError as exc:
                apply_form_errors(form, exc)
            else:
                messages.success(request, _("The decision was saved."))
                if request.POST.get("next"):
                    return redirect(_safe_next(request))
                return redirect("essays:essay", pk=essay.pk)
    return render(request, "essays/essay_detail.html", {"essay": essay, "form": form, "can_review": can_review})


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def essay_file(request, pk):
    essay = get_essay_for_user(request, pk)
    if not essay.file:
        raise Http404
    return FileResponse(essay.file.open("rb"), as_attachment=True, filename=essay.file_name)


def bulk_upload(request, pk):
    campaign, root = get_campaign_for_user(request, pk, STUDY_WRITE)
    form = BulkUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        bulk.cleanup_uploads()
        token = uuid.uuid4().hex
        try:
            uploads.check_room(default_storage, upload.name, upload.size)
            bulk.list_zip(upload)  # its directory only: nothing is inflated here
            upload.seek(0)
            uploads.save_file(default_storage, f"bulk/{token}.zip", upload, file_name=upload.name)
        except ValidationError as exc:  # a bad archive, or no room on the disk for it
            apply_form_errors(form, exc)
        else:
            request.session.setdefault("bulk_uploads", {})[token] = [campaign.pk, root.pk]
            request.session.modified = True
            return redirect("essays:bulk_preview", pk=campaign.pk, token=token)
    return render(request, "essays/bulk_upload.html", {"campaign": campaign, "root": root, "form": form})


def bulk_preview(request, pk, token):
    campaign, root = get_campaign_for_user(request, pk, STUDY_WRITE)
    if request.session.get("bulk_uploads", {}).get(token) != [campaign.pk, root.pk]:
        raise Http404
    name = f"bulk/{token}.zip"
    if not default_storage.exists(name):
        raise Http404  # cleaned up after a day
    with default_storage.open(name) as fh:
        names = bulk.list_zip(fh)  # the preview needs names only: nothing is inflated
    members = services.eligible_members(campaign, root).select_related("unit")
    matches = bulk.match(sorted(names), members)
    errors = []
    if request.method == "POST":
        try:
            with default_storage.open(name) as fh:
                n = bulk.apply(actor=request.user, campaign=campaign, archive=fh, matches=matches)
        except ValidationError as exc:
            errors = exc.messages
        else:
            default_storage.delete(name)
            request.session["bulk_uploads"].pop(token, None)
            request.session.modified = True
            messages.success(request, _("%(n)s essays were submitted.") % {"n": n})
            return redirect("essays:essays", pk=campaign.pk)
    return render(request, "essays/bulk_preview.html", {
        "campaign": campaign, "root": root, "matched": [m for m in matches if m.member],
        "unmatched": [m for m in matches if not m.member], "errors": errors})


# --- the copy check ---------------------------------------------------------------------------

@require_POST
def scan_start(request, pk):
    campaign, _root = get_campaign_for_user(request, pk, ESSAYS_REVIEW, organiser=True)
    scan = essay_services.scan_request(actor=request.user, campaign=campaign)
    return redirect("essays:scan", pk=scan.pk)


def scan_detail(request, pk):
    """Progress while it runs; then the flagged pairs, clusters and thin essays of the user's part."""
    scan, root = get_scan_for_user(request, pk)
    context = {"scan": scan, "campaign": scan.campaign, "root": root}
    if scan.running:
        progress = runner.progress_of(runner.latest(SCAN, scan.pk))
        context.update(progress=progress, stage=STAGES.get(progress["stage"], ""))
    else:
        context.update(_scan_findings(request, scan, root))
    template = "essays/_scan_status.html" if request.headers.get("HX-Request") else "essays/scan_detail.html"
    return render(request, template, context)


def _scan_findings(request, scan: IntegrityScan, root: OrgUnit) -> dict:
    """The user's part of what the check found: the pairs, groups and thin essays with an essay
    of a member taking part under `root` (a cell's page reads its own pairs, not the Party's)."""
    result = scan.result or {}
    taking_part = services.eligible_members(scan.campaign, root).values("pk")
    ours = Essay.objects.filter(campaign=scan.campaign, member_id__in=taking_part)
    found = list(scan.found_pairs.filter(Q(a__in=ours.values("pk")) | Q(b__in=ours.values("pk"))).order_by("n"))
    clusters, thin = result.get("clusters", []), result.get("thin", [])
    here = set()  # the essays named by the check that are the user's part
    named = sorted({p.a for p in found} | {p.b for p in found} | {i for c in clusters for i in c} | set(thin))
    for n in range(0, len(named), 5000):
        here.update(ours.filter(pk__in=named[n:n + 5000]).values_list("pk", flat=True))
    clusters = [c for c in clusters if any(i in here for i in c)]
    thin = [i for i in thin if i in here]
    ids = {p.a for p in found} | {p.b for p in found} | {i for c in clusters for i in c} | set(thin)
    essays = {e.pk: e for e in Essay.objects.filter(pk__in=ids).select_related("member__unit")}
    for e in essays.values():
        e.readable = may_read_essay(request, e)

    # a group of more than two (six identical essays) shows once as a group, not as its n² pairs;
    # a thin essay is listed as thin even in a group (six words copied are returned as thin)
    group_of = {i: n for n, c in enumerate(result.get("clusters", [])) if len(c) > 2 for i in c}
    pairs = [(p.n, p.as_dict(), essays[p.a], essays[p.b]) for p in found
             if p.a in essays and p.b in essays
             and not (p.a in group_of and group_of.get(p.a) == group_of.get(p.b))]
    groups = [[essays[i] for i in c if i in essays] for c in clusters]
    checked_here = scan.essays
    if root != scan.campaign.unit:  # the user's part: how many of its essays the check read
        checked_here = ours.filter(submitted_at__lte=scan.finished or timezone.now()).count()
    return {"pairs": pairs, "clusters": [c for c in groups if len(c) > 2], "thin": [essays[i] for i in thin if i in essays],
            "checked_here": checked_here}


def scan_pair(request, pk, n):
    """Two essays side by side, the copied passages highlighted in both; decide in one click."""
    scan, root = get_scan_for_user(request, pk)
    found = scan.found_pairs.filter(n=n).first()
    if found is None:
        raise Http404
    pair = found.as_dict()
    essays = {e.pk: e for e in Essay.objects.filter(pk__in=[pair["a"], pair["b"]]).select_related("member__unit")}
    if len(essays) != 2:
        raise Http404
    a, b = essays[pair["a"]], essays[pair["b"]]
    if not (a.member.unit.path.startswith(root.path) or b.member.unit.path.startswith(root.path)):
        raise Http404
    scope = scope_for(request)
    a.readable, b.readable = may_read_essay(request, a), may_read_essay(request, b)
    left, right = side_by_side(a.text, b.text, pair["passages"])
    return render(request, "essays/scan_pair.html", {
        "scan": scan, "campaign": scan.campaign, "pair": pair, "n": n, "a": a, "b": b, "left": left, "right": right,
        "can_review_a": scope.can(ESSAYS_REVIEW, a.member.unit.path),
        "can_review_b": scope.can(ESSAYS_REVIEW, b.member.unit.path),
        "next": request.get_full_path()})


# --- the member's own essay, from the sổ tay (the sổ tay itself: dangvu.notebook) ----------

def _my_member(request):
    member = getattr(request.user, "member", None)
    if member is None:
        raise Http404
    return member


def my_essay(request, pk):
    member = _my_member(request)
    campaign = get_own_campaign(member, pk)
    essay = Essay.objects.filter(campaign=campaign, member=member).first()
    # the current essay opens for editing: a returned one is reworked, not typed again
    initial = {"text": essay.text} if essay is not None and essay.status != EssayStatus.PASSED else None
    form = EssaySubmitForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload:
                essay_services.essay_submit(actor=request.user, campaign=campaign, member=member,
                                      file_name=upload.name, data=upload.read(), own=True)
            else:
                essay_services.essay_submit(actor=request.user, campaign=campaign, member=member,
                                      text=form.cleaned_data["text"], own=True)
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, _("Your essay was submitted."))
            return redirect("essays:notebook")
    return render(request, "essays/my_essay.html", {"campaign": campaign, "essay": essay, "form": form,
                                                   "documents": campaign.documents.all(),
                                                   "history": essay_history(essay) if essay else []})
