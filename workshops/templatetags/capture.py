"""``{% capture as name %}…{% endcapture %}``: a piece of a page rendered once and named, so that a translated
sentence holds it whole (``{% blocktranslate %}Published. Registration {{ window }}.{% endblocktranslate %}``)
rather than being joined from pieces around it: other languages put the words in another order."""

from django import template

register = template.Library()


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # A NodeList renders to a SafeString: escaped as it was rendered, so it is placed as it is.
        context[self.name] = self.nodelist.render(context)
        return ""


@register.tag
def capture(parser, token):
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])
