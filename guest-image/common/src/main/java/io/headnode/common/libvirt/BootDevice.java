package io.headnode.common.libvirt;

/** A device for the domain-wide {@code <os><boot dev=.../>}. */
public enum BootDevice {
    NETWORK("network"),
    HD("hd");

    private final String xmlName;

    BootDevice(String xmlName) {
        this.xmlName = xmlName;
    }

    /** The value of {@code <boot dev=...>}. */
    public String xmlName() {
        return xmlName;
    }
}
