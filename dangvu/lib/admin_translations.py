"""/admin/ in Vietnamese where it shows the packages dangvu installs: django-axes (login
protection), django-otp's TOTP devices (the second factor) and django-tasks-db (background work),
and the admin's own words that Django's Vietnamese catalog lacks (issue 23).

Strings the packages mark for translation are listed below so that `makemessages` keeps them in
locale/vi (the LOCALE_PATHS catalog comes before the packages' own). Those they leave in plain
English (the apps' names, django-otp's model, fields and sections, a few column titles) get
translated labels here, when the apps are ready: settings.INSTALLED_APPS names the app configs of
this module in place of the packages' own. The English is kept word for word as the msgid, so
migrations see no change."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy
from django_otp.plugins.otp_totp.apps import DefaultConfig as TOTPAppConfig
from django_tasks_db.apps import TasksAppConfig

# django-axes: its models, admin and lockout messages
AXES = [
    gettext_noop("access attempt"), gettext_noop("access attempts"),
    gettext_noop("access failure"), gettext_noop("access failures"),
    gettext_noop("access log"), gettext_noop("access logs"),
    gettext_noop("access attempt expiration"), gettext_noop("access attempt expirations"),
    gettext_noop("Access Attempt"), gettext_noop("Access lock out"), gettext_noop("Attempt Remaining"),
    gettext_noop("Attempt Time"), gettext_noop("Clean up expired attempts"), gettext_noop("Expires At"),
    gettext_noop("Failed Logins"), gettext_noop("Form Data"), gettext_noop("GET Data"), gettext_noop("HTTP Accept"),
    gettext_noop("IP Address"), gettext_noop("Locked Out"), gettext_noop("Logout Time"), gettext_noop("Meta Data"),
    gettext_noop("Not set"), gettext_noop("POST Data"), gettext_noop("Path"),
    gettext_noop("Session key hash (sha256)"), gettext_noop("User Agent"), gettext_noop("Username"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop("Account locked: too many login attempts. Contact an admin to unlock your account."),
]

# django-tasks-db's task results, and the statuses Django's tasks framework gives them
TASKS = [
    gettext_noop("Task Result"), gettext_noop("Task Results"), gettext_noop("status"), gettext_noop("enqueued at"),
    gettext_noop("started at"), gettext_noop("finished at"), gettext_noop("args kwargs"), gettext_noop("priority"),
    gettext_noop("task path"), gettext_noop("worker id"), gettext_noop("queue name"), gettext_noop("backend name"),
    gettext_noop("run after"), gettext_noop("return value"), gettext_noop("exception class path"),
    gettext_noop("traceback"),
    pgettext_lazy("Task", "Ready"), pgettext_lazy("Task", "Running"), pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]

# Django's admin and auth pages: the words its Vietnamese catalog lacks (Django 6)
DJANGO_ADMIN = [
    gettext_noop("Skip to main content"), gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"), gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Toggle navigation"), gettext_noop("Sidebar"), gettext_noop("Filter navigation items"),
    gettext_noop("Breadcrumbs"), gettext_noop("Model name"), gettext_noop("Add link"),
    gettext_noop("Change or view list link"), gettext_noop("Show counts"), gettext_noop("Hide counts"),
    gettext_noop("Filter by %(field_name)s"), gettext_noop("Search %(name)s"), gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"), ngettext_lazy("entry", "entries"), gettext_noop("Run"),
    gettext_noop("Select this object for an action - {}"), gettext_noop("Select all objects on this page for an action"),
    gettext_noop("View selected %(model)s"), ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects."),
    gettext_noop("The app \"%s\" could not be found."), gettext_noop("Error:"), gettext_noop("Added:"),
    gettext_noop("Changed:"), gettext_noop("Deleted:"), gettext_noop("Logout"),
    gettext_noop("In case you’ve forgotten, you are:"), gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related objects, but "
                 "your account doesn't have permission to delete the following types of objects:"),
    gettext_noop("Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following protected "
                 "related objects:"),
    gettext_noop("Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the following "
                 "related items will be deleted:"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Set password"), gettext_noop("Set password: %s"), gettext_noop("Reset password"),
    gettext_noop("Enabled"), gettext_noop("Disabled"), gettext_noop("Password-based authentication"),
    gettext_noop("Enable password-based authentication"), gettext_noop("Disable password-based authentication"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Whether the user will be able to authenticate using a password or not. If disabled, they may "
                 "still be able to authenticate using other backends, such as Single Sign-On or LDAP."),
    ngettext_lazy("This password is too short. It must contain at least %d character.",
                  "This password is too short. It must contain at least %d characters."),
    gettext_noop("Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z "
                 "letters, numbers, and @/./+/-/_ characters."),
]

# django-otp's TOTP device: field → (name, help), its English as the package writes it
TOTP_FIELDS = {
    "user": (_("user"), _("The user that this device belongs to.")),
    "name": (_("name"), _("The human-readable name of this device.")),
    "confirmed": (_("confirmed"), _("Is this device ready for use?")),
    "created_at": (_("created at"), _("The date and time when this device was initially created in the system.")),
    "last_used_at": (_("last used at"), _("The most recent date and time this device was used.")),
    "key": (_("key"), _("A hex-encoded secret key of up to 40 bytes.")),
    "step": (_("step"), _("The time step in seconds.")),
    "t0": (_("t0"), _("The Unix time at which to begin counting steps.")),
    "digits": (_("digits"), _("The number of digits to expect in a token.")),
    "tolerance": (_("tolerance"), _("The number of time steps in the past or future to allow.")),
    "drift": (_("drift"), _("The number of time steps the prover is known to deviate from our clock.")),
    "last_t": (_("last t"), _("The t value of the latest verified token. The next token must be at a higher "
                              "time step.")),
    "throttling_failure_timestamp": (_("throttling failure timestamp"),
                                     _("A timestamp of the last failed verification attempt. Null if last attempt "
                                       "succeeded.")),
    "throttling_failure_count": (_("throttling failure count"), _("Number of successive failed attempts.")),
}
TOTP_SECTIONS = {"Identity": _("Identity"), "Timestamps": _("Timestamps"), "Configuration": _("Configuration"),
                 "State": _("State"), "Throttling": _("Throttling")}


def _replace_admin(model, admin_class) -> None:
    from django.contrib import admin

    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, admin_class)


class AxesConfig(AxesAppConfig):
    verbose_name = _("Login protection")

    def ready(self):
        super().ready()
        from axes import admin as axes_admin
        from axes.handlers.proxy import AxesProxyHandler
        from axes.models import AccessAttempt
        from django.contrib import admin
        from django.utils.translation import ngettext

        class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
            @admin.display(description=_("Status"))
            def status(self, obj):
                return super().status(obj)

            @admin.action(description=_("Clean up expired attempts"))
            def cleanup_expired_attempts(self, request, queryset):
                # the package's action reads the time axes stamps on a login request, absent here (a 500)
                AxesProxyHandler.update_request(request)
                count = self.handler.clean_expired_user_attempts(request=request)
                # and its message is an f-string inside gettext: never found in a catalog
                self.message_user(request, ngettext("Cleaned up %(count)d expired access attempt.",
                                                    "Cleaned up %(count)d expired access attempts.", count)
                                  % {"count": count})

        _replace_admin(AccessAttempt, AccessAttemptAdmin)


class TOTPConfig(TOTPAppConfig):
    verbose_name = _("Second factor")

    def ready(self):
        super().ready()
        from django.contrib import admin
        from django.urls import NoReverseMatch, reverse
        from django.utils.html import format_html
        from django_otp.plugins.otp_totp import admin as totp_admin
        from django_otp.plugins.otp_totp.models import TOTPDevice

        options = TOTPDevice._meta
        options.verbose_name, options.verbose_name_plural = _("TOTP device"), _("TOTP devices")
        for name, (label, help_text) in TOTP_FIELDS.items():
            field = options.get_field(name)
            field.verbose_name, field.help_text = label, help_text

        class TOTPDeviceAdmin(totp_admin.TOTPDeviceAdmin):
            search_help_text = _("Search by user name or e-mail address")

            def get_fieldsets(self, request, obj=None):
                return [(TOTP_SECTIONS.get(title, title), section)
                        for title, section in super().get_fieldsets(request, obj)]

            @admin.display(description=_("QR code"))
            def qrcode_link(self, device):
                try:
                    href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
                except NoReverseMatch:  # as the package does: no link where its page is not served
                    return ""
                return format_html('<a href="{}">{}</a>', href, _("QR code"))

        _replace_admin(TOTPDevice, TOTPDeviceAdmin)


class TaskResultsConfig(TasksAppConfig):
    verbose_name = _("Background task queue")

    def ready(self):
        super().ready()
        from django.contrib import admin
        from django_tasks_db import admin as tasks_admin
        from django_tasks_db.models import DBTaskResult

        class DBTaskResultAdmin(tasks_admin.DBTaskResultAdmin):
            @admin.display(description=_("background task"))
            def task_name(self, obj):
                return obj.task_name

            @admin.display(description=_("traceback"))
            def formatted_traceback(self, obj):
                return super().formatted_traceback(obj)

            @admin.display(description=_("run after"))
            def display_run_after(self, obj):
                return super().display_run_after(obj)

        _replace_admin(DBTaskResult, DBTaskResultAdmin)
