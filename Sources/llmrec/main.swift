print("llmrec")
