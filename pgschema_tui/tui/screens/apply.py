from textual.screen import Screen
class ApplyScreen(Screen):
    BINDINGS=[]
