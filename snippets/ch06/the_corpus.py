"""The generated corpus every model of this chapter learns from (tinylm/corpus.py).

Needs the package snippets/tinylm/ (this chapter's model), in the folder above.
"""

import sys
from pathlib import Path

if "__file__" in globals():  # run as a file: tinylm/ is in snippets/, one folder up
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tinylm import corpus

if __name__ == "__main__":
    # --8<-- [start:main]
    ana = corpus.person("Ana")
    print(ana)
    documents = corpus.training_documents()
    n_people, n_asked = len(corpus.PEOPLE), len(corpus.QA_PEOPLE)
    print(f"{n_people} people; questions and answers about {n_asked} of them; "
          f"{len(documents)} training documents, "
          f"{len(corpus.pretraining_text())} characters")
    print("the first documents of the training text:")
    for document in documents[:6]:
        print("  " + document.replace("\n", "\n  "))
    held_out = corpus.held_out_documents()
    print(f"{len(held_out)} held-out documents, none of them in the training text: "
          f"{not set(held_out) & set(documents)}")
    # --8<-- [end:main]
