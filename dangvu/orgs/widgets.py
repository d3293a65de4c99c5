"""Choosing units the way an office thinks of them: as the tree, with a search box."""

from django import forms

from dangvu.lib.vntext import fold


class UnitTree(forms.CheckboxSelectMultiple):
    """Units (a queryset in path order) as an indented tree of checkboxes with a search box that
    ignores accents: tick a committee to take its whole subtree, or cells one by one."""

    template_name = "orgs/widgets/unit_tree.html"
    option_template_name = "orgs/widgets/unit_tree_option.html"

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        unit = getattr(value, "instance", None)
        if unit is not None:
            option["depth"] = min(unit.depth, 8)
            option["kind"] = unit.get_kind_display()
            option["folded"] = fold(unit.name)
        return option
