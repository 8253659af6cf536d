SECRET_KEY = "dev-only"
INSTALLED_APPS = ["django.contrib.contenttypes"]
ROOT_URLCONF = "mysite.urls"
WSGI_APPLICATION = "mysite.wsgi.application"
