from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("checker", "0002_age_months_volunteered_alerts"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizsession",
            name="subject",
            field=models.CharField(
                choices=[("self", "Me"), ("child", "My child"), ("other", "Someone else")],
                default="self",
                max_length=5,
            ),
        ),
    ]
