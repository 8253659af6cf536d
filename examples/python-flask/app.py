"""drydock's bundled example: a small Flask service (see README.md)."""
import os

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def index():
    return jsonify(status="ok", app="python-flask")


if __name__ == "__main__":
    # Development only; the container runs gunicorn (see `drydock advise`).
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8000")))
