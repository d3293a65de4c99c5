"""For migrations that move models from one app to another on the same tables: what named the
models by their app (content types, the change log's labels) follows them; no row moves."""


def relabel(models: list[str], old: str, new: str):
    """A RunPython function relabelling `models` (lower-case names) from app `old` to `new`."""
    def run(apps, schema_editor):
        apps.get_model("contenttypes", "ContentType").objects.filter(app_label=old, model__in=models).update(
            app_label=new)
        audit = apps.get_model("audit", "AuditEntry")
        for model in models:
            audit.objects.filter(model=f"{old}.{model}").update(model=f"{new}.{model}")
    return run
