"""Reads a notebook that ran (the one run-notebook.sh wrote) and prints, per code cell, its text outputs, whether it
produced a PNG image, and any error, as one JSON object."""
import sys

import nbformat

import gateway

notebook = nbformat.read(sys.argv[1], as_version=4)
cells = []
for cell in notebook.cells:
    if cell.cell_type != "code":
        continue
    texts, images, errors = [], 0, []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            texts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            data = out.get("data", {})
            if "image/png" in data:
                images += 1
            if "text/plain" in data:
                texts.append(data["text/plain"])
        elif out.output_type == "error":
            errors.append(f"{out.ename}: {out.evalue}")
    cells.append({"text": "".join(texts), "images": images, "errors": errors})
gateway.emit({"cells": cells})
