"""The admin reads; it never writes around a service.

Every model with services (and so rules and a change log) is shown read-only in
/admin/: changes go through the pages, the API, the import or the commands, which
call the services. A test checks every registered model uses this."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    pass
