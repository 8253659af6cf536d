import orjson
print(orjson.dumps({"ok": True}))
