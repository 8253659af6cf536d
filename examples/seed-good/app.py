print("hello from drydock's example")
