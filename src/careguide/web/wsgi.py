"""WSGI entry point for gunicorn: ``gunicorn careguide.web.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careguide.web.settings")
application = get_wsgi_application()
