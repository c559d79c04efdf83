"""WSGI entry point; production settings unless told otherwise.

gunicorn preloads this module and forks its workers from it, so it also does the workers'
one-time work once (config/warm_up.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()

from config.warm_up import warm_up  # noqa: E402 - needs the settings and apps loaded above

warm_up()
