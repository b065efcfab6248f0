from textual.screen import Screen
class GraphScreen(Screen):
    BINDINGS=[]
