from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from dangvu.orgs.models import Candidate, Member, OrgUnit, Term, UnitRole


@admin.register(OrgUnit)
class OrgUnitAdmin(TreeAdmin):
    form = movenodeform_factory(OrgUnit)
    list_display = ["name", "code", "kind", "has_committee", "valid_from", "valid_to"]
    search_fields = ["name_key", "code"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "date_of_birth", "status", "unit"]
    search_fields = ["name_key", "card_number"]
    raw_id_fields = ["unit", "user"]


admin.site.register(Candidate, raw_id_fields=["unit", "member"])
admin.site.register(Term, raw_id_fields=["unit"])
admin.site.register(UnitRole, raw_id_fields=["unit", "member", "term"])
