"""The permission keys: what each lets one do, which only read, and what a role grants.

Plain data that every layer may read (lib imports no app): the scope engine that says who
holds which keys where is `orgs/scope.py`, the teams that give them are accounts'.
"""

from django.utils.translation import gettext_lazy as _

UNITS_READ = "units:read"
UNITS_WRITE = "units:write"
MEMBERS_READ = "members:read"
MEMBERS_WRITE = "members:write"
MEMBERS_IMPORT = "members:import"
AUDIT_READ = "audit:read"
AUDIT_READ_ACCESS = "audit:read_access"
DOCUMENTS_READ = "documents:read"
DOCUMENTS_WRITE = "documents:write"
STUDY_READ = "study:read"
STUDY_WRITE = "study:write"
ESSAYS_REVIEW = "essays:review"
ACCESS_MANAGE = "access:manage"
TARGETS_WRITE = "targets:write"
INSPECTIONS_READ = "inspections:read"
INSPECTIONS_WRITE = "inspections:write"
REPORTS_READ = "reports:read"
REPORTS_WRITE = "reports:write"
EVALUATION_READ = "evaluation:read"
EVALUATION_WRITE = "evaluation:write"
EVALUATION_DECIDE = "evaluation:decide"
MEETINGS_READ = "meetings:read"
MEETINGS_WRITE = "meetings:write"

ALL_KEYS = {
    UNITS_READ: _("View units"),
    UNITS_WRITE: _("Edit, merge and split units"),
    MEMBERS_READ: _("View members"),
    MEMBERS_WRITE: _("Edit members"),
    MEMBERS_IMPORT: _("Import data from Excel"),
    AUDIT_READ: _("View the change log"),
    AUDIT_READ_ACCESS: _("See who read members' records"),
    DOCUMENTS_READ: _("View the document register"),
    DOCUMENTS_WRITE: _("Register documents and allocate their numbers"),
    STUDY_READ: _("View study campaigns, classes, attendance and essays"),
    STUDY_WRITE: _("Organise study campaigns and classes, record attendance"),
    ESSAYS_REVIEW: _("Review essays and run the copy check"),
    ACCESS_MANAGE: _("Manage teams and roles (give others the rights one holds)"),
    TARGETS_WRITE: _("Set targets for the units below"),
    INSPECTIONS_READ: _("View inspections and supervisions"),
    INSPECTIONS_WRITE: _("Plan and record inspections and supervisions"),
    REPORTS_READ: _("Read reports"),
    REPORTS_WRITE: _("Write reports and edit report templates"),
    EVALUATION_READ: _("View evaluation rounds and the levels decided"),
    EVALUATION_WRITE: _("Enter self-assessments and propose levels after the meeting"),
    EVALUATION_DECIDE: _("Open evaluation rounds, set criteria and decide levels"),
    MEETINGS_READ: _("View cell meetings, attendance and minutes"),
    MEETINGS_WRITE: _("Schedule cell meetings, take attendance, write minutes and hold votes"),
}
READ_KEYS = frozenset({UNITS_READ, MEMBERS_READ, AUDIT_READ, DOCUMENTS_READ, STUDY_READ, INSPECTIONS_READ,
                       REPORTS_READ, EVALUATION_READ, MEETINGS_READ})
FULL_KEYS = frozenset(ALL_KEYS)
# Keys that change records. Reading who read whose record is no write, though no read key either:
# it is given to the committee's security officer by a team, never with a role or a viewer's keys.
WRITE_KEYS = FULL_KEYS - READ_KEYS - {AUDIT_READ_ACCESS}


def read_key_for(key: str) -> str:
    """The key to read what `key` acts on: members:write → members:read; essays are study's;
    a key with no reading of its own (access, targets) needs to read the unit."""
    area = "study" if key.startswith("essays:") else key.split(":")[0]
    read = f"{area}:read"
    return read if read in ALL_KEYS else UNITS_READ


# What a role in a unit (orgs.UnitRole's roles) grants over that unit's subtree. Data, not branching code.
# The log of who read members' records is kept from those whose reads it records: a security officer
# holds it through a team.
ROLE_KEYS = {
    "bi_thu": FULL_KEYS - {AUDIT_READ_ACCESS},
    "pho_bi_thu": FULL_KEYS - {AUDIT_READ_ACCESS},
    "cap_uy_vien": READ_KEYS | {MEMBERS_WRITE},
    "tuyen_giao": READ_KEYS | {STUDY_WRITE, ESSAYS_REVIEW, REPORTS_WRITE},
}
