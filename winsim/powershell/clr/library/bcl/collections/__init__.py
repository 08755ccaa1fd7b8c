"""System.Collections: Hashtable, ArrayList, OrderedDictionary, SortedList, Stack, Queue, DictionaryEntry, enumerators,
comparers (StringComparer, Comparer, CaseInsensitiveComparer), Specialized's StringCollection, ListDictionary,
HybridDictionary."""

from winsim.powershell.clr.library.bcl.collections import (
    arraylist,
    comparers,
    enumerators,
    hashtable,
    ordered,
    sorted_list,
    specialized,
    stack_queue,
)
from winsim.powershell.clr.library.bcl.collections.arraylist import ArrayList
from winsim.powershell.clr.library.bcl.collections.enumerators import DictionaryEntry
from winsim.powershell.clr.library.bcl.collections.hashtable import Hashtable
from winsim.powershell.clr.library.bcl.collections.ordered import OrderedDictionary
from winsim.powershell.clr.library.bcl.collections.stack_queue import Queue, Stack

__all__ = ["ArrayList", "DictionaryEntry", "Hashtable", "OrderedDictionary", "Queue", "Stack", "arraylist",
           "comparers", "enumerators", "hashtable", "ordered", "sorted_list", "specialized",
           "stack_queue"]
