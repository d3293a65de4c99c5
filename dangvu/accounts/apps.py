from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "dangvu.accounts"
    verbose_name = _("Accounts and permissions")

    def ready(self):
        # orgs imports nothing from accounts (pyproject's contracts): the scope engine learns the
        # teams' grants, and the end of a membership ends the account's teams and tokens, from here
        from dangvu.accounts.permissions import team_grants
        from dangvu.accounts.services import end_account_rights
        from dangvu.orgs import scope
        from dangvu.orgs.services import rights_end

        scope.use_team_grants(team_grants)
        rights_end.connect(end_account_rights, dispatch_uid="accounts.end_account_rights")
