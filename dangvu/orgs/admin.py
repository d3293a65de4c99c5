from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from dangvu.lib.admin import ReadOnlyAdmin, ReadOnlyAdminMixin
from dangvu.orgs.models import Candidate, Member, OrgUnit, Term, UnitRole


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyAdminMixin, TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "kind", "has_committee", "valid_from", "valid_to"]
    search_fields = ["name_key", "code"]


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "date_of_birth", "status", "unit"]
    search_fields = ["name_key", "card_number"]
    raw_id_fields = ["unit", "user"]


admin.site.register(Candidate, ReadOnlyAdmin, raw_id_fields=["unit", "member"])
admin.site.register(Term, ReadOnlyAdmin, raw_id_fields=["unit"])
admin.site.register(UnitRole, ReadOnlyAdmin, raw_id_fields=["unit", "member", "term"])
