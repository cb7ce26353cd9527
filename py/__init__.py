"""A handwritten digit recognizer in NumPy: the same package trains natively
(`python -m py.train`) and recognizes drawings in the browser (Pyodide)."""
