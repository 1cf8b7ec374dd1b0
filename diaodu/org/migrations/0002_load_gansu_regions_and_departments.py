"""Ship 甘肃省, its 14 市州, 陇南's 9 县区, 陇南's departments and the default peer groups."""

from django.db import migrations


def forward(apps, schema_editor):
    from diaodu.org import loaders  # reads JSON only; takes the historical models

    Region = apps.get_model("org", "Region")
    loaders.load_regions(Region)
    loaders.load_departments(apps.get_model("org", "Department"))
    loaders.load_peer_groups(apps.get_model("org", "PeerGroup"), Region)


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
