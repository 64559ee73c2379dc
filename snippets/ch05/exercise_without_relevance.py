"""Exercise: retrieve memories by recency and importance alone (relevance weight 0).

Needs memory_stream.py (this chapter's second example) beside it.
"""

from memory_stream import DAY, live, retrieve

if __name__ == "__main__":
    stream = live(DAY)
    retrieved = {}
    for query in ["What should Mei prepare for the birthday party?",
                  "Is the oven working?"]:
        found = retrieve(stream, query, now=21.0, weights=(1.0, 1.0, 0.0))
        retrieved[query] = [memory.text for memory, _ in found]
        print(f"query: {query}\nscore  rec.  imp.  memory")
        for memory, (score, rec, imp, _relevance) in found:
            print(f"{score:5.2f}  {rec:4.2f}  {imp:4.2f}  {memory.text}")
