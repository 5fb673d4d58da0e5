/usr/bin/python3 -m nbconvert --to notebook --execute examples/consumer-notebook.ipynb --output-dir . --output run
