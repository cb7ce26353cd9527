"""What the page runs in its Web Worker: the contract (app.py: every entry
point the worker may call), a drawing turned into MNIST's kind of image
(preprocess.py), a number split into digits (segment.py), looking inside a
network (explain.py), and training in the page (session.py, finetune.py).
Ships to the page."""
