// yarn release stub
