from textual.screen import Screen
class ExploreScreen(Screen):
    BINDINGS=[]
