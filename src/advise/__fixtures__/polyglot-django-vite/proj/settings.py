WSGI_APPLICATION = "proj.wsgi.application"
